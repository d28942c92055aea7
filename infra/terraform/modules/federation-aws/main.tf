data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id  = data.aws_caller_identity.current.account_id
  partition   = data.aws_partition.current.partition
  bucket_name = coalesce(var.federation_bucket_name, "${var.name}-federation-${local.account_id}")

  # One function.zip can back several Lambdas; the mode decides how Lambda starts it.
  runtime = var.function_mode == "native" ? "provided.al2023" : "java17"
  handler = var.function_mode == "native" ? "bootstrap" : "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"

  update_queue_name = "${var.name}-updates"
  update_rule_name  = "${var.name}-updates"
  # Known before the queue and rule exist, so the policies module can be evaluated without a cycle.
  update_queue_arn = "arn:${local.partition}:sqs:${data.aws_region.current.name}:${local.account_id}:${local.update_queue_name}"
  update_rule_arn  = "arn:${local.partition}:events:${data.aws_region.current.name}:${local.account_id}:rule/${local.update_rule_name}"

  # The stage URL ends with "/"; clients append paths that start with one.
  registry_url = trimsuffix(aws_apigatewayv2_stage.registry.invoke_url, "/")

  database_name = "meshfl"

  tags = merge(var.tags, { "meshfl:federation" = var.name })
}

module "policies" {
  source = "../policies"

  partition                 = local.partition
  federation_bucket_name    = local.bucket_name
  domains                   = { for d, role in var.domains : d => { training_role_arn = role } }
  aggregation_role_arn      = aws_iam_role.aggregation.arn
  sweeper_role_arn          = aws_iam_role.sweeper.arn
  governance_principal_arns = var.governance_principal_arns
  update_queue_arn          = local.update_queue_arn
  update_event_path         = var.update_event_path
  update_event_source_arn   = var.update_event_path == "eventbridge" ? local.update_rule_arn : "arn:${local.partition}:s3:::${local.bucket_name}"
  models                    = var.models
  round_events_bus_arn      = aws_cloudwatch_event_bus.rounds.arn
  registry_secret_arns      = [aws_rds_cluster.registry.master_user_secret[0].secret_arn]
  aggregation_secret_arns   = [var.aggregation_registry_token_secret_arn]
  kms_key_arn               = var.kms_key_arn
}

# ---------------------------------------------------------------- federation bucket

resource "aws_s3_bucket" "federation" {
  bucket        = local.bucket_name
  force_destroy = var.force_destroy
  tags          = local.tags
}

resource "aws_s3_bucket_ownership_controls" "federation" {
  bucket = aws_s3_bucket.federation.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "federation" {
  bucket                  = aws_s3_bucket.federation.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "federation" {
  bucket = aws_s3_bucket.federation.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "federation" {
  bucket = aws_s3_bucket.federation.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "federation" {
  bucket = aws_s3_bucket.federation.id

  rule {
    id     = "noncurrent-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_retention_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # Lifecycle filters are prefixes, and the round number sits under the model id: one rule per model.
  dynamic "rule" {
    for_each = toset(var.models)
    content {
      id     = "expire-round-updates-${rule.value}"
      status = "Enabled"
      filter {
        prefix = "models/${rule.value}/rounds/"
      }
      expiration {
        days = var.round_update_retention_days
      }
    }
  }

  dynamic "rule" {
    for_each = toset(var.models)
    content {
      id     = "expire-tmp-${rule.value}"
      status = "Enabled"
      filter {
        prefix = "models/${rule.value}/tmp/"
      }
      expiration {
        days = 1
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.federation]
}

resource "aws_s3_bucket_policy" "federation" {
  bucket = aws_s3_bucket.federation.id
  policy = module.policies.federation_bucket_policy

  depends_on = [aws_s3_bucket_public_access_block.federation]
}

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

# Updates the aggregation gave up on (or EventBridge could not deliver) wait in the DLQ: someone must look.
resource "aws_cloudwatch_metric_alarm" "updates_dlq" {
  alarm_name          = "${var.name}-updates-dead-letters"
  alarm_description   = "Update events that were not aggregated are in ${aws_sqs_queue.updates_dlq.name}."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.updates_dlq.name }
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

resource "aws_cloudwatch_metric_alarm" "aggregation_errors" {
  alarm_name          = "${var.name}-aggregation-errors"
  alarm_description   = "The aggregation function failed invocations (timeouts included)."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.aggregation.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_topic_arns
  tags                = local.tags
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
  description   = "Domains' update objects in ${local.bucket_name} -> aggregation queue"
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

# ---------------------------------------------------------------- round events

resource "aws_cloudwatch_event_bus" "rounds" {
  name = "${var.name}-rounds"
  tags = local.tags
}

# ---------------------------------------------------------------- IAM

locals {
  lambda_assume_role = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
}

resource "aws_iam_role" "aggregation" {
  name               = "${var.name}-aggregation"
  assume_role_policy = local.lambda_assume_role
  tags               = local.tags
}

resource "aws_iam_role_policy" "aggregation" {
  name   = "aggregation"
  role   = aws_iam_role.aggregation.id
  policy = module.policies.aggregation_policy
}

resource "aws_iam_role_policy" "aggregation_logs" {
  name = "logs"
  role = aws_iam_role.aggregation.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${aws_cloudwatch_log_group.aggregation.arn}:*"]
    }]
  })
}

resource "aws_iam_role" "registry" {
  name               = "${var.name}-registry"
  assume_role_policy = local.lambda_assume_role
  tags               = local.tags
}

resource "aws_iam_role_policy" "registry" {
  name   = "registry"
  role   = aws_iam_role.registry.id
  policy = module.policies.registry_policy
}

resource "aws_iam_role_policy" "registry_logs" {
  name = "logs"
  role = aws_iam_role.registry.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${aws_cloudwatch_log_group.registry.arn}:*"]
    }]
  })
}

# Network interfaces in the VPC: the AWS-managed policy is the documented minimum for this.
resource "aws_iam_role_policy_attachment" "registry_vpc" {
  role       = aws_iam_role.registry.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

# ---------------------------------------------------------------- aggregation function

resource "aws_cloudwatch_log_group" "aggregation" {
  name              = "/aws/lambda/${var.name}-aggregation"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

locals {
  # A round's close is leased to the invocation that won it. An invocation ends at the Lambda timeout at
  # the latest, so a lease longer than that is never taken from a live aggregation; a crashed one is
  # taken over once it expires.
  aggregation_lease_seconds = var.aggregation_timeout_seconds + 60

  # /tmp for a round's end (issue 13, item 7): the K accepted updates, the global model, the strategy state
  # (up to two model-sized moments for adaptive optimizers such as FedAdam), and the new global model and
  # state written locally before upload: (K + 6) model sizes, plus a quarter for safetensors headers and
  # the runtime's own files.
  round_domains             = coalesce(var.max_domains_per_round, max(length(var.domains), 1))
  aggregation_scratch_mb    = var.max_model_size_mb == null ? 512 : ceil((local.round_domains + 6) * var.max_model_size_mb * 1.25)
  aggregation_ephemeral_mb  = coalesce(var.aggregation_ephemeral_storage_mb, min(10240, max(512, local.aggregation_scratch_mb)))
  aggregation_sizing_failed = var.aggregation_ephemeral_storage_mb == null && local.aggregation_scratch_mb > 10240

  # The token stays out of the Lambda configuration and so out of Terraform state: the function reads
  # it from Secrets Manager at start (infra/contract/functions.json).
  aggregation_environment = {
    QUARKUS_FUNQY_EXPORT             = var.aggregation_function_export
    MESHFL_AGGREGATION_LEASE         = "PT${local.aggregation_lease_seconds}S"
    MESHFL_OBJECT_STORE_BUCKET       = aws_s3_bucket.federation.bucket
    MESHFL_OBJECT_STORE_REGION       = data.aws_region.current.name
    MESHFL_REGISTRY_URL              = local.registry_url
    MESHFL_REGISTRY_TOKEN_SECRET_ARN = var.aggregation_registry_token_secret_arn
  }
}

resource "aws_lambda_function" "aggregation" {
  function_name    = "${var.name}-aggregation"
  role             = aws_iam_role.aggregation.arn
  filename         = var.aggregation_zip_path
  source_code_hash = filebase64sha256(var.aggregation_zip_path)
  runtime          = local.runtime
  handler          = local.handler
  architectures    = [var.architecture]
  memory_size      = var.aggregation_memory_mb
  timeout          = var.aggregation_timeout_seconds
  kms_key_arn      = var.kms_key_arn

  ephemeral_storage {
    size = local.aggregation_ephemeral_mb
  }

  environment {
    variables = local.aggregation_environment
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.aggregation.name
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = !local.aggregation_sizing_failed
      error_message = "A round's end needs about ${local.aggregation_scratch_mb} MB of /tmp ((${local.round_domains} domains + 6) x ${coalesce(var.max_model_size_mb, 0)} MB x 1.25), more than Lambda's 10240 MB: accept fewer domains per round, or run the aggregation on Knative with a volume."
    }
  }
}

resource "aws_lambda_event_source_mapping" "updates" {
  event_source_arn = aws_sqs_queue.updates.arn
  function_name    = aws_lambda_function.aggregation.arn
  # One update per invocation: a batch runs its records one after another, and an invocation that times
  # out returns all of them to the queue, pushing updates that were never tried towards the DLQ.
  batch_size = 1
  # Funqy reports the records it could not handle; only those are retried, then dead-lettered.
  function_response_types = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.aggregation_max_concurrency
  }
}

# ---------------------------------------------------------------- registry database

# RDS generates the master password and keeps it in a Secrets Manager secret it manages and rotates:
# the password is never in Terraform's configuration or state. The registry reads it at start
# (QUARKUS_DATASOURCE_PASSWORD_SECRET_ARN, field password), so a rotation reaches it on its next cold
# start without a re-apply.
resource "aws_db_subnet_group" "registry" {
  name       = "${var.name}-registry"
  subnet_ids = var.private_subnet_ids
  tags       = local.tags
}

resource "aws_security_group" "registry_function" {
  name        = "${var.name}-registry-function"
  description = "MeshFL registry Lambda"
  vpc_id      = var.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_egress_rule" "registry_function_all" {
  security_group_id = aws_security_group.registry_function.id
  description       = "PostgreSQL and AWS endpoints"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "database" {
  name        = "${var.name}-registry-db"
  description = "MeshFL registry database: reachable from the registry Lambda only"
  vpc_id      = var.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "database_from_registry" {
  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the registry Lambda"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.registry_function.id
}

resource "aws_rds_cluster" "registry" {
  cluster_identifier            = "${var.name}-registry"
  engine                        = "aurora-postgresql"
  engine_mode                   = "provisioned"
  engine_version                = var.database_engine_version
  database_name                 = local.database_name
  master_username               = "meshfl"
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.kms_key_arn
  db_subnet_group_name          = aws_db_subnet_group.registry.name
  vpc_security_group_ids        = [aws_security_group.database.id]
  storage_encrypted             = true
  kms_key_id                    = var.kms_key_arn
  backup_retention_period       = 7
  deletion_protection           = var.database_deletion_protection
  skip_final_snapshot           = !var.database_deletion_protection
  final_snapshot_identifier     = var.database_deletion_protection ? "${var.name}-registry-final" : null
  copy_tags_to_snapshot         = true

  serverlessv2_scaling_configuration {
    min_capacity             = var.database_min_capacity
    max_capacity             = var.database_max_capacity
    seconds_until_auto_pause = var.database_min_capacity == 0 ? 900 : null
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = var.database_max_capacity >= var.database_min_capacity
      error_message = "database_max_capacity must be at least database_min_capacity."
    }
  }
}

resource "aws_rds_cluster_instance" "registry" {
  identifier           = "${var.name}-registry-1"
  cluster_identifier   = aws_rds_cluster.registry.id
  instance_class       = "db.serverless"
  engine               = aws_rds_cluster.registry.engine
  engine_version       = aws_rds_cluster.registry.engine_version
  db_subnet_group_name = aws_db_subnet_group.registry.name
  tags                 = local.tags
}

# ---------------------------------------------------------------- registry function + HTTP API

resource "aws_security_group" "endpoints" {
  count = var.create_vpc_endpoints ? 1 : 0

  name        = "${var.name}-endpoints"
  description = "Interface endpoints used by the MeshFL registry"
  vpc_id      = var.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_registry" {
  count = var.create_vpc_endpoints ? 1 : 0

  security_group_id            = aws_security_group.endpoints[0].id
  description                  = "HTTPS from the registry Lambda"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.registry_function.id
}

resource "aws_vpc_endpoint" "events" {
  count = var.create_vpc_endpoints ? 1 : 0

  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${data.aws_region.current.name}.events"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.private_subnet_ids
  security_group_ids  = [aws_security_group.endpoints[0].id]
  private_dns_enabled = true
  tags                = local.tags
}

resource "aws_cloudwatch_log_group" "registry" {
  name              = "/aws/lambda/${var.name}-registry"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

locals {
  registry_environment = merge(
    {
      QUARKUS_DATASOURCE_REACTIVE_URL = "postgresql://${aws_rds_cluster.registry.endpoint}:${aws_rds_cluster.registry.port}/${local.database_name}"
      QUARKUS_DATASOURCE_JDBC_URL     = "jdbc:postgresql://${aws_rds_cluster.registry.endpoint}:${aws_rds_cluster.registry.port}/${local.database_name}"
      QUARKUS_DATASOURCE_USERNAME     = aws_rds_cluster.registry.master_username
      # RDS keeps the password in a secret it manages (JSON: username, password); read at start.
      QUARKUS_DATASOURCE_PASSWORD_SECRET_ARN = "${aws_rds_cluster.registry.master_user_secret[0].secret_arn}#password"
      MP_JWT_VERIFY_ISSUER                   = var.jwt_issuer
    },
    var.jwt_public_key != null ? { MP_JWT_VERIFY_PUBLICKEY = var.jwt_public_key } : {},
    var.jwt_public_key_location != null ? { MP_JWT_VERIFY_PUBLICKEY_LOCATION = var.jwt_public_key_location } : {},
  )
}

resource "aws_lambda_function" "registry" {
  function_name    = "${var.name}-registry"
  role             = aws_iam_role.registry.arn
  filename         = var.registry_zip_path
  source_code_hash = filebase64sha256(var.registry_zip_path)
  runtime          = local.runtime
  handler          = local.handler
  architectures    = [var.architecture]
  memory_size      = var.registry_memory_mb
  timeout          = 30
  kms_key_arn      = var.kms_key_arn

  vpc_config {
    subnet_ids         = var.private_subnet_ids
    security_group_ids = [aws_security_group.registry_function.id]
  }

  environment {
    variables = local.registry_environment
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.registry.name
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = (var.jwt_public_key == null) != (var.jwt_public_key_location == null)
      error_message = "Set exactly one of jwt_public_key and jwt_public_key_location."
    }
  }

  depends_on = [aws_iam_role_policy_attachment.registry_vpc]
}

resource "aws_cloudwatch_log_group" "registry_api" {
  name              = "/aws/apigateway/${var.name}-registry"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_apigatewayv2_api" "registry" {
  name          = "${var.name}-registry"
  protocol_type = "HTTP"
  description   = "MeshFL registry (docs/registry-api.md); authentication is the registry's own JWT check"
  tags          = local.tags
}

resource "aws_apigatewayv2_integration" "registry" {
  api_id                 = aws_apigatewayv2_api.registry.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.registry.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "registry" {
  api_id    = aws_apigatewayv2_api.registry.id
  route_key = "$default"
  target    = "integrations/${aws_apigatewayv2_integration.registry.id}"
}

resource "aws_apigatewayv2_stage" "registry" {
  api_id      = aws_apigatewayv2_api.registry.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = 100
    throttling_rate_limit  = 50
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.registry_api.arn
    format = jsonencode({
      requestId = "$context.requestId"
      ip        = "$context.identity.sourceIp"
      method    = "$context.httpMethod"
      path      = "$context.path"
      status    = "$context.status"
      latency   = "$context.responseLatency"
      error     = "$context.integrationErrorMessage"
    })
  }

  tags = local.tags
}

resource "aws_lambda_permission" "registry_api" {
  statement_id  = "AllowHttpApi"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.registry.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.registry.execution_arn}/*/*"
}
