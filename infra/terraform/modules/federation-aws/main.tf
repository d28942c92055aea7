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

  partition              = local.partition
  federation_bucket_name = local.bucket_name
  domains = { for d, role in var.domains : d => {
    training_role_arn = role
    vertical          = try(var.vertical_domains[d].models, [])
    vertical_head     = try(var.vertical_domains[d].head, [])
  } }
  # A name, not the resource: the role's ARN is known from it, and the policies need no cycle through it.
  vertical_head_role_arn    = var.vertical_head == null ? null : "arn:${local.partition}:iam::${local.account_id}:role/${var.name}-vertical-head"
  vertical_head_secret_arns = var.vertical_head == null ? [] : [var.vertical_head.signing_key_secret_arn, var.vertical_head.registry_token_secret_arn]
  vertical_head_models      = var.vertical_head == null ? [] : var.vertical_head.models
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
