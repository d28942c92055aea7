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
  aggregation_environment = merge({
    QUARKUS_FUNQY_EXPORT             = var.aggregation_function_export
    MESHFL_AGGREGATION_LEASE         = "PT${local.aggregation_lease_seconds}S"
    MESHFL_OBJECT_STORE_BUCKET       = aws_s3_bucket.federation.bucket
    MESHFL_OBJECT_STORE_REGION       = data.aws_region.current.name
    MESHFL_REGISTRY_URL              = local.registry_url
    MESHFL_REGISTRY_TOKEN_SECRET_ARN = var.aggregation_registry_token_secret_arn
  }, local.aggregation_sharding_environment)

  # Sharded aggregation (issue 18): set only when given, otherwise the function's defaults apply.
  aggregation_sharding_environment = merge(
    var.aggregation_max_bytes_per_invocation == null ? {} : { MESHFL_AGGREGATION_SHARDING_MAX_BYTES_PER_INVOCATION = tostring(var.aggregation_max_bytes_per_invocation) },
    var.aggregation_tree_fanout == null ? {} : { MESHFL_AGGREGATION_SHARDING_FANOUT = tostring(var.aggregation_tree_fanout) },
  )
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
