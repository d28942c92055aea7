# ---------------------------------------------------------------- update events -> SQS

resource "aws_sqs_queue" "updates_dlq" {
  name                      = "${local.update_queue_name}-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = var.kms_key_arn == null ? true : null
  kms_master_key_id         = var.kms_key_arn
  tags                      = local.tags
}

resource "aws_sqs_queue" "updates" {
  name                       = local.update_queue_name
  visibility_timeout_seconds = 6 * var.aggregation_timeout_seconds
  message_retention_seconds  = 345600
  sqs_managed_sse_enabled    = var.kms_key_arn == null ? true : null
  kms_master_key_id          = var.kms_key_arn
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.updates_dlq.arn
    maxReceiveCount     = var.update_max_receive_count
  })
  tags = local.tags
}

resource "aws_sqs_queue_redrive_allow_policy" "updates_dlq" {
  queue_url = aws_sqs_queue.updates_dlq.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.updates.arn]
  })
}

resource "aws_sqs_queue_policy" "updates_dlq" {
  count = var.update_event_path == "eventbridge" ? 1 : 0

  queue_url = aws_sqs_queue.updates_dlq.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "UndeliverableUpdateEventsFromTheRule"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = ["sqs:SendMessage"]
      Resource  = [aws_sqs_queue.updates_dlq.arn]
      Condition = { ArnEquals = { "aws:SourceArn" = [local.update_rule_arn] } }
    }]
  })
}

resource "aws_sqs_queue_policy" "updates" {
  queue_url = aws_sqs_queue.updates.id
  policy    = module.policies.update_queue_policy
}

resource "aws_s3_bucket_notification" "federation" {
  bucket      = aws_s3_bucket.federation.id
  eventbridge = var.update_event_path == "eventbridge"

  dynamic "queue" {
    for_each = var.update_event_path == "s3-notification" ? { for f in module.policies.s3_notification_filters : f.prefix => f } : {}
    content {
      queue_arn     = aws_sqs_queue.updates.arn
      events        = ["s3:ObjectCreated:*"]
      filter_prefix = queue.value.prefix
      filter_suffix = queue.value.suffix
    }
  }

  depends_on = [aws_sqs_queue_policy.updates]

  lifecycle {
    precondition {
      condition     = var.update_event_path == "eventbridge" || length(var.models) > 0
      error_message = "update_event_path = s3-notification needs the model ids in var.models (one S3 filter per model)."
    }
  }
}

resource "aws_cloudwatch_event_rule" "updates" {
  count = var.update_event_path == "eventbridge" ? 1 : 0

  name          = local.update_rule_name
  description   = "Domains' update objects and sharded rounds' tree objects in ${local.bucket_name} -> aggregation queue"
  event_pattern = module.policies.update_event_pattern
  tags          = local.tags
}

resource "aws_cloudwatch_event_target" "updates" {
  count = var.update_event_path == "eventbridge" ? 1 : 0

  rule = aws_cloudwatch_event_rule.updates[0].name
  arn  = aws_sqs_queue.updates.arn

  # An event EventBridge cannot deliver to the queue (queue policy, KMS) lands beside the updates that
  # failed aggregation, instead of being dropped after the retries.
  dead_letter_config {
    arn = aws_sqs_queue.updates_dlq.arn
  }
  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 185
  }

  input_transformer {
    input_paths    = module.policies.update_event_input_paths
    input_template = module.policies.update_event_input_template
  }
}
