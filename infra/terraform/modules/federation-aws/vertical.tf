# ---------------------------------------------------------------- vertical models (issue 16)
#
# S3 sends the bucket's Object Created events to this account's default bus (eventbridge = true on the bucket
# notification when update_event_path = eventbridge; the rules below need that). One rule per vertical party
# and one for the head select their keys with `wildcard` patterns (S3's own notification filters, one prefix and
# one suffix, cannot tell embeddings from gradients under one model) and queue them as S3 notifications, the shape
# the training package's `vertical` function reads. The function still routes by key and drops what is not its own.

locals {
  vertical_rule_names = { for d, _ in var.vertical_domains : d => "${var.name}-vertical-${d}" }
  vertical_rule_arns = { for d, n in local.vertical_rule_names :
  d => "arn:${local.partition}:events:${data.aws_region.current.name}:${local.account_id}:rule/${n}" }
  vertical_head_name     = "${var.name}-vertical-head"
  vertical_head_rule_arn = "arn:${local.partition}:events:${data.aws_region.current.name}:${local.account_id}:rule/${local.vertical_head_name}"
  # The registry's meshfl.vround.opened of the head's models, from the round events bus, starts their rounds.
  vertical_head_round_opened_rule_arn = "arn:${local.partition}:events:${data.aws_region.current.name}:${local.account_id}:rule/${aws_cloudwatch_event_bus.rounds.name}/${local.vertical_head_name}-round-opened"
  vertical_wildcards                  = module.policies.vertical_event_wildcards

  vertical_party_patterns = { for d, v in var.vertical_domains : d => {
    source      = ["aws.s3"]
    detail-type = ["Object Created"]
    detail = {
      bucket = { name = [local.bucket_name] }
      object = { key = [for w in distinct(concat(local.vertical_wildcards.party, [local.vertical_wildcards.gradients[d]],
      length(v.head) > 0 ? concat(local.vertical_wildcards.head, [local.vertical_wildcards.domain_head[d]]) : [])) : { wildcard = w }] }
    }
  } }
  vertical_head_pattern = {
    source      = ["aws.s3"]
    detail-type = ["Object Created"]
    detail = {
      bucket = { name = [local.bucket_name] }
      object = { key = [for w in local.vertical_wildcards.head : { wildcard = w }] }
    }
  }

  # The training package as the governance-side head: the domains' training environment with the head's identity.
  vertical_head_environment = var.vertical_head == null ? {} : {
    QUARKUS_FUNQY_EXPORT                      = "vertical"
    MESHFL_TRAINING_DOMAIN                    = "governance"
    MESHFL_TRAINING_SIGNING_KEY_SECRET_ARN    = var.vertical_head.signing_key_secret_arn
    MESHFL_TRAINING_REGISTRY_TOKEN_SECRET_ARN = var.vertical_head.registry_token_secret_arn
    MESHFL_TRAINING_WORK_DIR                  = "/tmp/meshfl"
    MESHFL_OBJECT_STORE_BUCKET                = aws_s3_bucket.federation.bucket
    MESHFL_OBJECT_STORE_REGION                = data.aws_region.current.name
    MESHFL_REGISTRY_URL                       = local.registry_url
    DJL_CACHE_DIR                             = "/tmp/djl"
    ENGINE_CACHE_DIR                          = "/tmp/djl"
    DJL_OFFLINE                               = "true"
    OPT_OUT_TRACKING                          = "true"
    JAVA_TOOL_OPTIONS                         = "-Dai.djl.offline=true -Djna.tmpdir=/tmp -XX:+UseSerialGC"
  }
}

resource "aws_cloudwatch_event_rule" "vertical_party" {
  for_each = var.vertical_domains

  name          = local.vertical_rule_names[each.key]
  description   = "Vertical objects for ${each.key} (PSI sets, settings, its gradients) in ${local.bucket_name}"
  event_pattern = jsonencode(local.vertical_party_patterns[each.key])
  tags          = local.tags

  lifecycle {
    precondition {
      condition     = var.update_event_path == "eventbridge" && contains(keys(var.domains), each.key)
      error_message = "Vertical events need update_event_path = eventbridge (the bucket's events on the default bus), and every vertical domain in `domains`."
    }
  }
}

resource "aws_cloudwatch_event_target" "vertical_party" {
  for_each = var.vertical_domains

  rule = aws_cloudwatch_event_rule.vertical_party[each.key].name
  # The domain's queue, possibly in its own account: its queue policy admits this rule's ARN.
  arn = each.value.queue_arn
  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 185
  }
  input_transformer {
    input_paths    = module.policies.update_event_input_paths
    input_template = module.policies.update_event_input_template
  }
}

# ---------------------------------------------------------------- the governance-side head

resource "aws_iam_role" "vertical_head" {
  count = var.vertical_head == null ? 0 : 1

  name               = local.vertical_head_name
  assume_role_policy = local.lambda_assume_role
  tags               = local.tags
}

resource "aws_iam_role_policy" "vertical_head" {
  count = var.vertical_head == null ? 0 : 1

  name   = "vertical-head"
  role   = aws_iam_role.vertical_head[0].id
  policy = module.policies.vertical_head_policy
}

resource "aws_iam_role_policy" "vertical_head_queue_and_logs" {
  count = var.vertical_head == null ? 0 : 1

  name = "queue-and-logs"
  role = aws_iam_role.vertical_head[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
        Resource = [aws_sqs_queue.vertical_head[0].arn]
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.vertical_head[0].arn}:*"]
      },
    ]
  })
}

resource "aws_cloudwatch_log_group" "vertical_head" {
  count = var.vertical_head == null ? 0 : 1

  name              = "/aws/lambda/${local.vertical_head_name}"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_sqs_queue" "vertical_head_dlq" {
  count = var.vertical_head == null ? 0 : 1

  name                      = "${local.vertical_head_name}-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = var.kms_key_arn == null ? true : null
  kms_master_key_id         = var.kms_key_arn
  tags                      = local.tags
}

resource "aws_sqs_queue" "vertical_head" {
  count = var.vertical_head == null ? 0 : 1

  name                       = local.vertical_head_name
  visibility_timeout_seconds = 6 * var.vertical_head.timeout_seconds
  message_retention_seconds  = 345600
  sqs_managed_sse_enabled    = var.kms_key_arn == null ? true : null
  kms_master_key_id          = var.kms_key_arn
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.vertical_head_dlq[0].arn
    maxReceiveCount     = var.update_max_receive_count
  })
  tags = local.tags
}

resource "aws_sqs_queue_policy" "vertical_head" {
  count = var.vertical_head == null ? 0 : 1

  queue_url = aws_sqs_queue.vertical_head[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AcceptVerticalEventsFromTheHeadRuleOnly"
      Effect    = "Allow"
      Principal = { Service = ["events.amazonaws.com"] }
      Action    = ["sqs:SendMessage"]
      Resource  = [aws_sqs_queue.vertical_head[0].arn]
      Condition = { ArnEquals = { "aws:SourceArn" = [local.vertical_head_rule_arn, local.vertical_head_round_opened_rule_arn] } }
    }]
  })
}

resource "aws_lambda_function" "vertical_head" {
  count = var.vertical_head == null ? 0 : 1

  function_name = local.vertical_head_name
  role          = aws_iam_role.vertical_head[0].arn
  package_type  = "Image"
  image_uri     = var.vertical_head.image_uri
  # libtorch is the linux-x86_64 build of the Maven artifact.
  architectures = ["x86_64"]
  memory_size   = var.vertical_head.memory_mb
  timeout       = var.vertical_head.timeout_seconds

  ephemeral_storage {
    size = var.vertical_head.ephemeral_storage_mb
  }

  environment {
    variables = local.vertical_head_environment
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.vertical_head[0].name
  }

  tags = local.tags
}

resource "aws_lambda_event_source_mapping" "vertical_head" {
  count = var.vertical_head == null ? 0 : 1

  event_source_arn = aws_sqs_queue.vertical_head[0].arn
  function_name    = aws_lambda_function.vertical_head[0].arn
  # One object per invocation, as for updates; the steps are exactly-once, so a redelivery changes nothing.
  batch_size              = 1
  function_response_types = ["ReportBatchItemFailures"]
}

resource "aws_cloudwatch_event_rule" "vertical_head" {
  count = var.vertical_head == null ? 0 : 1

  name          = local.vertical_head_name
  description   = "Vertical objects for the governance-side head (embeddings, head states, round settings) in ${local.bucket_name}"
  event_pattern = jsonencode(local.vertical_head_pattern)
  tags          = local.tags

  lifecycle {
    precondition {
      condition     = var.update_event_path == "eventbridge"
      error_message = "Vertical events need update_event_path = eventbridge (the bucket's events on the default bus)."
    }
  }
}

resource "aws_cloudwatch_event_target" "vertical_head" {
  count = var.vertical_head == null ? 0 : 1

  rule = aws_cloudwatch_event_rule.vertical_head[0].name
  arn  = aws_sqs_queue.vertical_head[0].arn
  dead_letter_config {
    arn = aws_sqs_queue.vertical_head_dlq[0].arn
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

# ---------------------------------------------------------------- rounds start from the registry
#
# The registry opens round 1 when the governance asks and each later round when the head records an outcome, and
# publishes meshfl.vround.opened on the round events bus; this rule queues those of the head's models, as
# EventBridge events, to the head (which reads the round from the registry and starts it only if it is OPEN). The
# parties' rules are domain-aws's (vertical_round_opened).

resource "aws_cloudwatch_event_rule" "vertical_head_round_opened" {
  count = var.vertical_head == null ? 0 : 1

  name           = "${local.vertical_head_name}-round-opened"
  description    = "The registry's opened rounds of the vertical models whose head the governance side runs"
  event_bus_name = aws_cloudwatch_event_bus.rounds.name
  event_pattern = jsonencode({
    source        = ["meshfl.registry"]
    "detail-type" = ["meshfl.vround.opened"]
    detail        = { model = sort(var.vertical_head.models) }
  })
  tags = local.tags
}

resource "aws_cloudwatch_event_target" "vertical_head_round_opened" {
  count = var.vertical_head == null ? 0 : 1

  rule           = aws_cloudwatch_event_rule.vertical_head_round_opened[0].name
  event_bus_name = aws_cloudwatch_event_bus.rounds.name
  arn            = aws_sqs_queue.vertical_head[0].arn
}

# ---------------------------------------------------------------- the vertical deadline sweep
#
# A vertical round whose party never writes its embeddings keeps its window open, and no object event will
# ever reach the head again. An EventBridge Scheduler schedule (the sweeper's expression) invokes the head's
# Lambda with {"sweep": "vertical-rounds"}: the head lists the registry's OPEN vertical rounds past their
# deadline (its registry token must be a function token), writes FAILED outcome.json naming the missing parties
# and window, and records the failure in the registry, which opens the next round.

locals {
  vertical_sweep_name         = "${var.name}-vertical-sweep"
  vertical_sweep_schedule_arn = "arn:${local.partition}:scheduler:${data.aws_region.current.name}:${local.account_id}:schedule/default/${local.vertical_sweep_name}"
  # The input the training package's `vertical` function recognises as the schedule's (VerticalDeadlineSweep).
  vertical_sweep_input = jsonencode({ sweep = "vertical-rounds" })
}

resource "aws_iam_role" "vertical_sweep_scheduler" {
  count = var.vertical_head == null ? 0 : 1

  name = "${local.vertical_sweep_name}-scheduler"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "scheduler.amazonaws.com" }
      Action    = "sts:AssumeRole"
      # Only this federation's vertical sweep schedule may use the role (confused-deputy protection).
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
        ArnEquals    = { "aws:SourceArn" = local.vertical_sweep_schedule_arn }
      }
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "vertical_sweep_scheduler" {
  count = var.vertical_head == null ? 0 : 1

  name = "invoke-vertical-head"
  role = aws_iam_role.vertical_sweep_scheduler[0].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["lambda:InvokeFunction"], Resource = [aws_lambda_function.vertical_head[0].arn] }]
  })
}

# The schedule invokes asynchronously; a sweep carries no data, so a failed or late one is dropped: the next
# one does the same work (the outcome is write-once in the store and first-wins in the registry).
resource "aws_lambda_function_event_invoke_config" "vertical_head" {
  count = var.vertical_head == null ? 0 : 1

  function_name                = aws_lambda_function.vertical_head[0].function_name
  maximum_retry_attempts       = 0
  maximum_event_age_in_seconds = 60
}

resource "aws_scheduler_schedule" "vertical_sweep" {
  count = var.vertical_head == null ? 0 : 1

  name                         = local.vertical_sweep_name
  description                  = "Fails MeshFL vertical rounds past their deadline whose parties did not all write"
  schedule_expression          = var.sweep_schedule_expression
  schedule_expression_timezone = var.sweep_schedule_timezone

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.vertical_head[0].arn
    role_arn = aws_iam_role.vertical_sweep_scheduler[0].arn
    input    = local.vertical_sweep_input

    retry_policy {
      maximum_retry_attempts       = 0
      maximum_event_age_in_seconds = 60
    }
  }

  depends_on = [aws_iam_role_policy.vertical_sweep_scheduler]
}
