# ---------------------------------------------------------------- alarms
#
# What someone must look at, one alarm each, all notifying alarm_topic_arns (on alarm and on recovery).
# One resource over a table instead of a block per alarm: the alarms differ in their metric only.

locals {
  alarms = {
    # Updates the aggregation gave up on (or EventBridge could not deliver) wait in the DLQ.
    "updates-dead-letters" = {
      description = "Update events that were not aggregated are in ${aws_sqs_queue.updates_dlq.name}."
      namespace   = "AWS/SQS"
      metric      = "ApproximateNumberOfMessagesVisible"
      dimensions  = { QueueName = aws_sqs_queue.updates_dlq.name }
      statistic   = "Maximum"
      period      = 300
      comparison  = "GreaterThanThreshold"
      threshold   = 0
      missing     = "notBreaching"
    }
    "aggregation-errors" = {
      description = "The aggregation function failed invocations (timeouts included)."
      namespace   = "AWS/Lambda"
      metric      = "Errors"
      dimensions  = { FunctionName = aws_lambda_function.aggregation.function_name }
      statistic   = "Sum"
      period      = 300
      comparison  = "GreaterThanThreshold"
      threshold   = 0
      missing     = "notBreaching"
    }
    "sweeper-errors" = {
      description = "Sweeps failed (timeouts included): rounds past their deadline or lease may not end."
      namespace   = "AWS/Lambda"
      metric      = "Errors"
      dimensions  = { FunctionName = aws_lambda_function.sweeper.function_name }
      statistic   = "Sum"
      period      = 300
      comparison  = "GreaterThanThreshold"
      threshold   = 0
      missing     = "notBreaching"
    }
    # No invocation for three schedule intervals (at least 15 minutes): the schedule is disabled or deleted,
    # its role broken, or every sweep throttled. Missing data is the symptom here, so it breaches.
    "sweeper-silent" = {
      description = "No sweep ran for ${local.sweeper_silence_seconds / 60} minutes: rounds past their deadline or lease do not end."
      namespace   = "AWS/Lambda"
      metric      = "Invocations"
      dimensions  = { FunctionName = aws_lambda_function.sweeper.function_name }
      statistic   = "Sum"
      period      = local.sweeper_silence_seconds
      comparison  = "LessThanThreshold"
      threshold   = 1
      missing     = "breaching"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = 1
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = each.value.missing
  alarm_actions       = var.alarm_topic_arns
  ok_actions          = var.alarm_topic_arns
  tags                = local.tags
}

# The alarms' former addresses: an existing deployment keeps its alarms instead of replacing them.
moved {
  from = aws_cloudwatch_metric_alarm.updates_dlq
  to   = aws_cloudwatch_metric_alarm.this["updates-dead-letters"]
}

moved {
  from = aws_cloudwatch_metric_alarm.aggregation_errors
  to   = aws_cloudwatch_metric_alarm.this["aggregation-errors"]
}
