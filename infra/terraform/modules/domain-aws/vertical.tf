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
  # The registry's meshfl.vround.opened starts each round of the domain's vertical models (round 1 when the
  # governance opens it, each later one when an outcome is recorded): nothing else starts a round.
  vertical_round_opened_name     = "${local.vertical_name}-round-opened"
  vertical_round_opened_rule_arn = "arn:${local.partition}:events:${data.aws_region.current.name}:${local.account_id}:rule/${coalesce(var.round_events_bus_name, "-")}/${local.vertical_round_opened_name}"
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
      Sid       = "AcceptVerticalEventsFromTheFederationsRuleAndTheRoundOpenedRuleOnly"
      Effect    = "Allow"
      Principal = { Service = ["events.amazonaws.com"] }
      Action    = ["sqs:SendMessage"]
      Resource  = [aws_sqs_queue.vertical[0].arn]
      Condition = { ArnEquals = { "aws:SourceArn" = [var.vertical_event_rule_arn, local.vertical_round_opened_rule_arn] } }
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

# The registry's round events are on the federation's bus (source meshfl.registry, detail-type the CloudEvent type,
# detail the opened round); this rule queues the opened rounds of the domain's models, as EventBridge events, into
# the vertical queue (the function reads the round from the registry with its own token and starts only an OPEN one).
resource "aws_cloudwatch_event_rule" "vertical_round_opened" {
  count = local.vertical_enabled ? 1 : 0

  name           = local.vertical_round_opened_name
  event_bus_name = var.round_events_bus_name
  event_pattern = jsonencode({
    source        = ["meshfl.registry"]
    "detail-type" = ["meshfl.vround.opened"]
    detail        = { model = sort(distinct(concat(var.vertical, var.vertical_head))) }
  })
  tags = local.tags

  lifecycle {
    precondition {
      condition     = var.round_events_bus_name != null
      error_message = "vertical needs round_events_bus_name: the registry's meshfl.vround.opened starts every vertical round."
    }
  }
}

resource "aws_cloudwatch_event_target" "vertical_round_opened" {
  count = local.vertical_enabled ? 1 : 0

  rule           = aws_cloudwatch_event_rule.vertical_round_opened[0].name
  event_bus_name = var.round_events_bus_name
  arn            = aws_sqs_queue.vertical[0].arn
}

# ---------------------------------------------------------------- the deadline sweep of a domain-owned head
#
# A domain that owns the labels of a model without sharing them runs its head (vertical_head). A round whose party
# never writes would wait for ever: no object event reaches the head again. On a schedule the head's `vertical`
# function gets {"sweep": "vertical-rounds"}: it lists, with the domain's own registry token, the due rounds of the
# models whose head it runs (the registry shows a domain those only), fails each with outcome.json naming the
# missing parties, and records that in the registry, which opens the next round.

locals {
  vertical_sweep_name = "${local.prefix}-vertical-sweep"
}

resource "aws_iam_role" "vertical_sweep_scheduler" {
  count = length(var.vertical_head) > 0 ? 1 : 0

  name = "${local.vertical_sweep_name}-scheduler"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "scheduler.amazonaws.com" }
      Action    = "sts:AssumeRole"
      # Only this domain's vertical sweep schedule may use the role (confused-deputy protection).
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
        ArnEquals    = { "aws:SourceArn" = "arn:${local.partition}:scheduler:${data.aws_region.current.name}:${local.account_id}:schedule/default/${local.vertical_sweep_name}" }
      }
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "vertical_sweep_scheduler" {
  count = length(var.vertical_head) > 0 ? 1 : 0

  name = "invoke-vertical"
  role = aws_iam_role.vertical_sweep_scheduler[0].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["lambda:InvokeFunction"], Resource = [aws_lambda_function.vertical[0].arn] }]
  })
}

resource "aws_scheduler_schedule" "vertical_sweep" {
  count = length(var.vertical_head) > 0 ? 1 : 0

  name                         = local.vertical_sweep_name
  description                  = "Fails the rounds past their deadline of the vertical models whose head ${var.domain} runs"
  schedule_expression          = var.vertical_sweep_schedule_expression
  schedule_expression_timezone = "UTC"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.vertical[0].arn
    role_arn = aws_iam_role.vertical_sweep_scheduler[0].arn
    # The input the training package's `vertical` function recognises as the schedule's (VerticalDeadlineSweep).
    input = jsonencode({ sweep = "vertical-rounds" })

    # A sweep carries no data: a failed or late one is dropped, the next does the same work.
    retry_policy {
      maximum_retry_attempts       = 0
      maximum_event_age_in_seconds = 60
    }
  }

  depends_on = [aws_iam_role_policy.vertical_sweep_scheduler]
}
