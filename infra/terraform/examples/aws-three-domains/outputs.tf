output "registry_url" {
  description = "Registry base URL for curl and the functions."
  value       = module.federation.registry_url
}

output "federation_bucket_name" {
  description = "Where the governance uploads models/{model}/global/1.safetensors."
  value       = module.federation.federation_bucket_name
}

output "training_function_names" {
  description = "Training Lambda per domain (aws lambda invoke to train now)."
  value       = { for d, m in module.domain : d => m.training_function_name }
}

output "data_bucket_names" {
  description = "Data bucket per domain."
  value       = { for d, m in module.domain : d => m.data_bucket_name }
}

output "update_dead_letter_queue_url" {
  description = "Update events the aggregation gave up on."
  value       = module.federation.update_dead_letter_queue_url
}

output "sweeper_function_name" {
  description = "The sweeper Lambda, invoked every minute by EventBridge Scheduler: ends rounds past their deadline or lease (aws lambda invoke to sweep now)."
  value       = module.federation.sweeper_function_name
}
