data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id       = data.aws_caller_identity.current.account_id
  partition        = data.aws_partition.current.partition
  prefix           = "${var.name}-${var.domain}"
  data_bucket_name = var.create_data_bucket ? coalesce(var.data_bucket_name, "${local.prefix}-data-${local.account_id}") : var.data_bucket_name
  function_name    = "${local.prefix}-training"
  tags             = merge(var.tags, { "meshfl:federation" = var.name, "meshfl:domain" = var.domain })
  # The S3 client signs for one region and SDK v2 does not follow S3's redirect to another.
  federation_region = coalesce(var.federation_region, data.aws_region.current.name)
}

module "policies" {
  source = "../policies"

  partition              = local.partition
  federation_bucket_name = var.federation_bucket_name
  domains = {
    (var.domain) = {
      data_bucket_name          = local.data_bucket_name
      signing_key_secret_arn    = var.signing_key_secret_arn
      registry_token_secret_arn = var.registry_token_secret_arn
      vertical                  = var.vertical
      vertical_head             = var.vertical_head
    }
  }
  kms_key_arn = var.federation_kms_key_arn
}

# ---------------------------------------------------------------- the domain's data bucket

resource "aws_s3_bucket" "data" {
  count = var.create_data_bucket ? 1 : 0

  bucket = local.data_bucket_name
  tags   = local.tags

  lifecycle {
    precondition {
      condition     = var.create_data_bucket || var.data_bucket_name != null
      error_message = "With create_data_bucket = false, data_bucket_name must name the existing bucket."
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "data" {
  count  = var.create_data_bucket ? 1 : 0
  bucket = aws_s3_bucket.data[0].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "data" {
  count                   = var.create_data_bucket ? 1 : 0
  bucket                  = aws_s3_bucket.data[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "data" {
  count  = var.create_data_bucket ? 1 : 0
  bucket = aws_s3_bucket.data[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  count  = var.create_data_bucket ? 1 : 0
  bucket = aws_s3_bucket.data[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.data_kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.data_kms_key_arn
    }
    bucket_key_enabled = var.data_kms_key_arn != null
  }
}

resource "aws_s3_bucket_policy" "data" {
  count  = var.create_data_bucket ? 1 : 0
  bucket = aws_s3_bucket.data[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = ["s3:*"]
      Resource  = [aws_s3_bucket.data[0].arn, "${aws_s3_bucket.data[0].arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
  depends_on = [aws_s3_bucket_public_access_block.data]
}

# ---------------------------------------------------------------- training function

resource "aws_iam_role" "training" {
  name = local.function_name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "training" {
  name   = "training"
  role   = aws_iam_role.training.id
  policy = module.policies.domain_training_policies[var.domain]
}

resource "aws_iam_role_policy" "training_data_kms" {
  count = var.data_kms_key_arn == null ? 0 : 1
  name  = "data-kms"
  role  = aws_iam_role.training.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["kms:Decrypt"], Resource = [var.data_kms_key_arn] }]
  })
}

resource "aws_iam_role_policy" "training_logs" {
  name = "logs"
  role = aws_iam_role.training.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${aws_cloudwatch_log_group.training.arn}:*"]
    }]
  })
}

resource "aws_cloudwatch_log_group" "training" {
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

locals {
  # Secrets stay out of the Lambda configuration and so out of Terraform state: the function reads them
  # from Secrets Manager at start (<ENV>_SECRET_ARN, infra/contract/functions.json), with the role's
  # GetSecretValue on exactly these two secrets.
  training_environment = {
    QUARKUS_FUNQY_EXPORT                      = var.training_function_export
    MESHFL_TRAINING_DOMAIN                    = var.domain
    MESHFL_TRAINING_SIGNING_KEY_SECRET_ARN    = var.signing_key_secret_arn
    MESHFL_TRAINING_REGISTRY_TOKEN_SECRET_ARN = var.registry_token_secret_arn
    MESHFL_TRAINING_WORK_DIR                  = "/tmp/meshfl"
    MESHFL_OBJECT_STORE_BUCKET                = var.federation_bucket_name
    MESHFL_OBJECT_STORE_REGION                = local.federation_region
    MESHFL_REGISTRY_URL                       = var.registry_url
    # Only /tmp is writable on Lambda: libtorch is unpacked there at cold start.
    DJL_CACHE_DIR     = "/tmp/djl"
    ENGINE_CACHE_DIR  = "/tmp/djl"
    DJL_OFFLINE       = "true"
    OPT_OUT_TRACKING  = "true"
    JAVA_TOOL_OPTIONS = "-Dai.djl.offline=true -Djna.tmpdir=/tmp -XX:+UseSerialGC"
  }
}

resource "aws_lambda_function" "training" {
  function_name = local.function_name
  role          = aws_iam_role.training.arn
  package_type  = "Image"
  image_uri     = var.training_image_uri
  # libtorch is the linux-x86_64 build of the Maven artifact.
  architectures = ["x86_64"]
  memory_size   = var.training_memory_mb
  timeout       = var.training_timeout_seconds

  ephemeral_storage {
    size = var.training_ephemeral_storage_mb
  }

  environment {
    variables = local.training_environment
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.training.name
  }

  tags = local.tags
}

# Schedules and round events invoke training asynchronously. A failed run is retried once (training is
# idempotent: an update already written is not trained again), then the event lands in this queue
# instead of vanishing; the alarm below tells someone.
resource "aws_sqs_queue" "training_failures" {
  name                      = "${local.function_name}-failures"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = local.tags
}

resource "aws_iam_role_policy" "training_failures" {
  name = "failure-destination"
  role = aws_iam_role.training.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["sqs:SendMessage"], Resource = [aws_sqs_queue.training_failures.arn] }]
  })
}

resource "aws_lambda_function_event_invoke_config" "training" {
  function_name                = aws_lambda_function.training.function_name
  maximum_retry_attempts       = var.training_async_retries
  maximum_event_age_in_seconds = 3600

  destination_config {
    on_failure {
      destination = aws_sqs_queue.training_failures.arn
    }
  }

  depends_on = [aws_iam_role_policy.training_failures]
}

resource "aws_cloudwatch_metric_alarm" "training_failures" {
  alarm_name          = "${local.function_name}-failures"
  alarm_description   = "Training runs of ${var.domain} failed after their retries (messages in ${aws_sqs_queue.training_failures.name})."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.training_failures.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_topic_arns
  ok_actions          = var.alarm_topic_arns
  tags                = local.tags
}

# ---------------------------------------------------------------- triggers

resource "aws_iam_role" "scheduler" {
  count = length(var.schedules) > 0 ? 1 : 0

  name = "${local.prefix}-training-scheduler"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "scheduler.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "scheduler" {
  count = length(var.schedules) > 0 ? 1 : 0

  name = "invoke-training"
  role = aws_iam_role.scheduler[0].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["lambda:InvokeFunction"], Resource = [aws_lambda_function.training.arn] }]
  })
}

resource "aws_scheduler_schedule" "training" {
  for_each = var.schedules

  name                         = "${local.prefix}-${each.key}"
  description                  = "Train ${each.key} on ${var.domain}'s data"
  schedule_expression          = each.value.expression
  schedule_expression_timezone = each.value.timezone

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.training.arn
    role_arn = aws_iam_role.scheduler[0].arn
    # The training function's input: {model, domain, dataProduct?}.
    input = jsonencode(merge(
      { model = each.key, domain = var.domain },
      each.value.data_product == null ? {} : { dataProduct = each.value.data_product },
    ))

    retry_policy {
      maximum_retry_attempts       = 2
      maximum_event_age_in_seconds = 3600
    }
  }
}

# Optional: train as soon as a round opens. The registry publishes round events on the federation's bus
# with source meshfl.registry, detail-type = the CloudEvent type and detail = the CloudEvent data.
resource "aws_cloudwatch_event_rule" "round_opened" {
  count = var.trigger_on_round_opened ? 1 : 0

  name           = "${local.prefix}-round-opened"
  event_bus_name = var.round_events_bus_name
  event_pattern = jsonencode({
    source        = ["meshfl.registry"]
    "detail-type" = ["meshfl.round.opened"]
    detail        = { model = keys(var.schedules) }
  })
  tags = local.tags

  lifecycle {
    precondition {
      condition     = var.round_events_bus_name != null && length(var.schedules) > 0
      error_message = "trigger_on_round_opened needs round_events_bus_name and at least one model in schedules."
    }
  }
}

resource "aws_cloudwatch_event_target" "round_opened" {
  count = var.trigger_on_round_opened ? 1 : 0

  rule           = aws_cloudwatch_event_rule.round_opened[0].name
  event_bus_name = var.round_events_bus_name
  arn            = aws_lambda_function.training.arn

  input_transformer {
    input_paths    = { model = "$.detail.model" }
    input_template = "{\"model\": <model>, \"domain\": ${jsonencode(var.domain)}}"
  }
}

resource "aws_lambda_permission" "round_opened" {
  count = var.trigger_on_round_opened ? 1 : 0

  statement_id  = "AllowRoundOpenedRule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.training.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.round_opened[0].arn
}
