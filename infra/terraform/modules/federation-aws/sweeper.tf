# ---------------------------------------------------------------- sweeper (issue 15)
#
# Rounds must end without another event: at their deadline, or when the aggregator that won a close died
# (its lease expired) after the last update. The sweeper is the aggregation artifact's second Funqy function,
# `sweep`, in a second Lambda from the same function.zip (Funqy exports one function per Lambda), invoked by
# an EventBridge Scheduler schedule. It has the aggregation function's settings and object access, because
# it closes, aggregates and takes over rounds itself.

locals {
  sweeper_name       = "${var.name}-sweeper"
  sweep_schedule_arn = "arn:${local.partition}:scheduler:${data.aws_region.current.name}:${local.account_id}:schedule/default/${var.name}-sweep"

  # The aggregation function's environment, the same lease included: the sweeper's timeout is the
  # aggregation timeout, so a round close it wins is never taken from it while it runs.
  sweeper_environment = merge(local.aggregation_environment, { QUARKUS_FUNQY_EXPORT = "sweep" })

  # How long without a sweep means the schedule is broken: three intervals of a rate(...) schedule, at
  # least 15 minutes; a day for cron(...) schedules (CloudWatch's longest alarm window).
  sweep_rate_match        = regexall("^rate\\(([0-9]+) (minutes?|hours?|days?)\\)$", var.sweep_schedule_expression)
  sweep_interval_seconds  = length(local.sweep_rate_match) == 0 ? null : tonumber(local.sweep_rate_match[0][0]) * { minute = 60, minutes = 60, hour = 3600, hours = 3600, day = 86400, days = 86400 }[local.sweep_rate_match[0][1]]
  sweeper_silence_seconds = local.sweep_interval_seconds == null ? 86400 : min(86400, max(900, 3 * local.sweep_interval_seconds))
}

resource "aws_iam_role" "sweeper" {
  name               = local.sweeper_name
  assume_role_policy = local.lambda_assume_role
  tags               = local.tags
}

# Objects and registry token as the aggregation function; not the update queue, which it never reads.
resource "aws_iam_role_policy" "sweeper" {
  name   = "sweeper"
  role   = aws_iam_role.sweeper.id
  policy = module.policies.sweeper_policy
}

resource "aws_iam_role_policy" "sweeper_logs" {
  name = "logs"
  role = aws_iam_role.sweeper.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${aws_cloudwatch_log_group.sweeper.arn}:*"]
    }]
  })
}

resource "aws_cloudwatch_log_group" "sweeper" {
  name              = "/aws/lambda/${local.sweeper_name}"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_lambda_function" "sweeper" {
  function_name    = local.sweeper_name
  role             = aws_iam_role.sweeper.arn
  filename         = var.aggregation_zip_path
  source_code_hash = filebase64sha256(var.aggregation_zip_path)
  runtime          = local.runtime
  handler          = local.handler
  architectures    = [var.architecture]
  # It aggregates the rounds that are due: the same models, so the same memory, /tmp and timeout.
  memory_size = var.aggregation_memory_mb
  timeout     = var.aggregation_timeout_seconds
  kms_key_arn = var.kms_key_arn
  # Sweeps are idempotent: every close, takeover and failure is a compare-and-set in the registry and every
  # global model a conditional write, so two sweeps at once could not double anything, they would only
  # contend for the same rounds. One at a time keeps a slow sweep (one that aggregates) from stacking up
  # a sweep per minute behind it; the throttled invocations are dropped (below) and the next one catches up.
  reserved_concurrent_executions = coalesce(var.sweeper_reserved_concurrency, -1)

  ephemeral_storage {
    size = local.aggregation_ephemeral_mb
  }

  environment {
    variables = local.sweeper_environment
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.sweeper.name
  }

  tags = local.tags
}

# The schedule invokes asynchronously. A sweep carries no data ({}), so a failed or throttled one is not
# worth keeping: no retries, no failure destination, and an invocation older than a minute is dropped,
# because the next scheduled sweep does the same work. Alarms say when sweeps fail or stop (alarms.tf).
resource "aws_lambda_function_event_invoke_config" "sweeper" {
  function_name                = aws_lambda_function.sweeper.function_name
  maximum_retry_attempts       = 0
  maximum_event_age_in_seconds = 60
}

resource "aws_iam_role" "sweep_scheduler" {
  name = "${var.name}-sweep-scheduler"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "scheduler.amazonaws.com" }
      Action    = "sts:AssumeRole"
      # Only this federation's sweep schedule may use the role (confused-deputy protection).
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
        ArnEquals    = { "aws:SourceArn" = local.sweep_schedule_arn }
      }
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "sweep_scheduler" {
  name = "invoke-sweeper"
  role = aws_iam_role.sweep_scheduler.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["lambda:InvokeFunction"], Resource = [aws_lambda_function.sweeper.arn] }]
  })
}

resource "aws_scheduler_schedule" "sweep" {
  name                         = "${var.name}-sweep"
  description                  = "Ends MeshFL rounds that are due (deadline passed, aggregation lease expired)"
  schedule_expression          = var.sweep_schedule_expression
  schedule_expression_timezone = var.sweep_schedule_timezone

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.sweeper.arn
    role_arn = aws_iam_role.sweep_scheduler.arn
    input    = jsonencode({})

    # A sweep the scheduler cannot deliver within a minute is superseded by the next one.
    retry_policy {
      maximum_retry_attempts       = 0
      maximum_event_age_in_seconds = 60
    }
  }

  depends_on = [aws_iam_role_policy.sweep_scheduler]
}
