# ---------------------------------------------------------------- vertical models (issue 16)
#
# The domain's PSI and bottom steps (and the head's, for a domain that owns the labels without sharing them) run in
# the training image as a second Lambda exporting `vertical`, under the training role (whose policy gains the
# vertical statements). The federation's rule on the bucket's events sends the domain's keys to this queue as S3
# notifications; one object per invocation, and the steps are exactly-once, so a redelivery changes nothing.

locals {
  vertical_enabled     = length(var.vertical) + length(var.vertical_head) > 0
  vertical_name        = "${local.prefix}-vertical"
  vertical_environment = merge(local.training_environment, { QUARKUS_FUNQY_EXPORT = "vertical" })
}

resource "aws_sqs_queue" "vertical_dlq" {
  count = local.vertical_enabled ? 1 : 0

  name                      = "${local.vertical_name}-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = local.tags
}

resource "aws_sqs_queue" "vertical" {
  count = local.vertical_enabled ? 1 : 0

  name                       = local.vertical_name
  visibility_timeout_seconds = 6 * var.training_timeout_seconds
  message_retention_seconds  = 345600
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.vertical_dlq[0].arn
    maxReceiveCount     = 5
  })
  tags = local.tags

  lifecycle {
    precondition {
      condition     = var.vertical_event_rule_arn != null
      error_message = "vertical needs vertical_event_rule_arn (federation-aws output vertical_event_rule_arns[domain])."
    }
  }
}

resource "aws_sqs_queue_policy" "vertical" {
  count = local.vertical_enabled ? 1 : 0

  queue_url = aws_sqs_queue.vertical[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AcceptVerticalEventsFromTheFederationsRuleOnly"
      Effect    = "Allow"
      Principal = { Service = ["events.amazonaws.com"] }
      Action    = ["sqs:SendMessage"]
      Resource  = [aws_sqs_queue.vertical[0].arn]
      Condition = { ArnEquals = { "aws:SourceArn" = [var.vertical_event_rule_arn] } }
    }]
  })
}

resource "aws_iam_role_policy" "vertical_queue" {
  count = local.vertical_enabled ? 1 : 0

  name = "vertical-queue"
  role = aws_iam_role.training.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
      Resource = [aws_sqs_queue.vertical[0].arn]
    }]
  })
}

resource "aws_lambda_function" "vertical" {
  count = local.vertical_enabled ? 1 : 0

  function_name = local.vertical_name
  role          = aws_iam_role.training.arn
  package_type  = "Image"
  image_uri     = var.training_image_uri
  architectures = ["x86_64"]
  memory_size   = var.training_memory_mb
  timeout       = var.training_timeout_seconds

  ephemeral_storage {
    size = var.training_ephemeral_storage_mb
  }

  environment {
    variables = local.vertical_environment
  }

  # The training log group: the role may write there already, and one domain's runs read in one place.
  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.training.name
  }

  tags = local.tags
}

resource "aws_lambda_event_source_mapping" "vertical" {
  count = local.vertical_enabled ? 1 : 0

  event_source_arn        = aws_sqs_queue.vertical[0].arn
  function_name           = aws_lambda_function.vertical[0].arn
  batch_size              = 1
  function_response_types = ["ReportBatchItemFailures"]

  depends_on = [aws_iam_role_policy.vertical_queue]
}
