output "federation_bucket_name" {
  description = "Federation bucket (models/{model}/global, rounds, state, tmp). Give it to each domain-aws module."
  value       = aws_s3_bucket.federation.bucket
}

output "federation_bucket_arn" {
  description = "ARN of the federation bucket."
  value       = aws_s3_bucket.federation.arn
}

output "registry_url" {
  description = "Base URL of the registry's HTTP API, without a trailing slash (MESHFL_REGISTRY_URL for the functions and the governance's curl calls)."
  value       = local.registry_url
}

output "round_events_bus_name" {
  description = "EventBridge bus the registry publishes round events on."
  value       = aws_cloudwatch_event_bus.rounds.name
}

output "round_events_bus_arn" {
  description = "ARN of the round events bus."
  value       = aws_cloudwatch_event_bus.rounds.arn
}

output "update_queue_url" {
  description = "SQS queue of update events (aggregation input)."
  value       = aws_sqs_queue.updates.url
}

output "update_queue_arn" {
  description = "ARN of the update queue."
  value       = aws_sqs_queue.updates.arn
}

output "update_dead_letter_queue_url" {
  description = "Dead-letter queue of update events the aggregation could not handle; alarm on its depth."
  value       = aws_sqs_queue.updates_dlq.url
}

output "aggregation_function_name" {
  description = "Name of the aggregation Lambda."
  value       = aws_lambda_function.aggregation.function_name
}

output "aggregation_role_arn" {
  description = "Role of the aggregation Lambda."
  value       = aws_iam_role.aggregation.arn
}

output "sweeper_function_name" {
  description = "Name of the sweeper Lambda (the aggregation package with QUARKUS_FUNQY_EXPORT=sweep)."
  value       = aws_lambda_function.sweeper.function_name
}

output "sweeper_role_arn" {
  description = "Role of the sweeper Lambda."
  value       = aws_iam_role.sweeper.arn
}

output "sweep_schedule_arn" {
  description = "ARN of the EventBridge Scheduler schedule that invokes the sweeper."
  value       = aws_scheduler_schedule.sweep.arn
}

output "registry_function_name" {
  description = "Name of the registry Lambda."
  value       = aws_lambda_function.registry.function_name
}

output "registry_database_endpoint" {
  description = "Writer endpoint of the registry's Aurora PostgreSQL cluster."
  value       = aws_rds_cluster.registry.endpoint
}

output "registry_database_secret_arn" {
  description = "Secrets Manager secret with the registry database's credentials (managed and rotated by RDS; JSON with username and password)."
  value       = aws_rds_cluster.registry.master_user_secret[0].secret_arn
}

output "update_key_wildcard" {
  description = "Pattern of the keys the aggregation is triggered by."
  value       = module.policies.update_key_wildcard
}

output "aggregation_environment_names" {
  description = "Names of the environment variables the aggregation Lambda gets (checked against infra/contract/functions.json)."
  value       = sort(keys(local.aggregation_environment))
}

output "sweeper_environment_names" {
  description = "Names of the environment variables the sweeper Lambda gets (checked against infra/contract/functions.json)."
  value       = sort(keys(local.sweeper_environment))
}

output "functions_exports" {
  description = "QUARKUS_FUNQY_EXPORT of each Lambda built from the aggregation package (checked against the contract's exports)."
  value       = { aggregation = local.aggregation_environment.QUARKUS_FUNQY_EXPORT, sweeper = local.sweeper_environment.QUARKUS_FUNQY_EXPORT }
}

output "registry_environment_names" {
  description = "Names of the environment variables the registry Lambda gets (checked against infra/contract/functions.json)."
  value       = sort(keys(local.registry_environment))
}

output "vertical_event_rule_arns" {
  description = "ARN of the rule that feeds each vertical domain's queue (domain-aws vertical_event_rule_arn: its queue policy admits only this rule)."
  value       = local.vertical_rule_arns
}

output "vertical_head_function_name" {
  description = "Name of the governance-side vertical head Lambda, or null."
  value       = var.vertical_head == null ? null : aws_lambda_function.vertical_head[0].function_name
}

output "vertical_head_environment_names" {
  description = "Names of the environment variables the vertical head Lambda gets (checked against infra/contract/functions.json)."
  value       = sort(keys(local.vertical_head_environment))
}

output "vertical_head_export" {
  description = "QUARKUS_FUNQY_EXPORT of the vertical head Lambda (the training package's `vertical`), or null."
  value       = try(local.vertical_head_environment.QUARKUS_FUNQY_EXPORT, null)
}

output "vertical_event_patterns" {
  description = "The vertical rules' event patterns (JSON): by vertical domain, and `head` for the governance-side head when there is one."
  value = merge({ for d, p in local.vertical_party_patterns : d => jsonencode(p) },
  var.vertical_head == null ? {} : { head = jsonencode(local.vertical_head_pattern) })
}
