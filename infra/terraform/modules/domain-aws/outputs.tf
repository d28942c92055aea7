output "training_role_arn" {
  description = "Role of the domain's training function; give it to federation-aws's domains map (bucket policy)."
  value       = aws_iam_role.training.arn
}

output "training_function_name" {
  description = "Name of the training Lambda (aws lambda invoke target)."
  value       = aws_lambda_function.training.function_name
}

output "training_function_arn" {
  description = "ARN of the training Lambda."
  value       = aws_lambda_function.training.arn
}

output "data_bucket_name" {
  description = "The domain's data bucket; data products' output ports point here."
  value       = local.data_bucket_name
}

output "schedule_arns" {
  description = "EventBridge Scheduler schedules by model id."
  value       = { for m, s in aws_scheduler_schedule.training : m => s.arn }
}

output "training_environment_names" {
  description = "Names of the environment variables the training Lambda gets (checked against infra/contract/functions.json)."
  value       = sort(keys(local.training_environment))
}

output "vertical_queue_arn" {
  description = "The queue of the domain's vertical Lambda (federation-aws vertical_domains[domain].queue_arn), or null."
  value       = local.vertical_enabled ? aws_sqs_queue.vertical[0].arn : null
}

output "vertical_function_name" {
  description = "Name of the domain's vertical Lambda, or null."
  value       = local.vertical_enabled ? aws_lambda_function.vertical[0].function_name : null
}

output "vertical_environment_names" {
  description = "Names of the environment variables the vertical Lambda gets (checked against infra/contract/functions.json)."
  value       = sort(keys(local.vertical_environment))
}

output "vertical_export" {
  description = "QUARKUS_FUNQY_EXPORT of the vertical Lambda."
  value       = local.vertical_environment.QUARKUS_FUNQY_EXPORT
}
