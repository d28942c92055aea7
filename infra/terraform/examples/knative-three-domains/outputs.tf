output "manifests_yaml" {
  description = "Everything for kubectl apply --server-side -f - (federation first, then the domains)."
  value       = join("", concat([module.federation.manifests_yaml], [for d in sort(keys(var.domains)) : module.domain[d].manifests_yaml]))
}

output "s3_notification_configuration" {
  description = "Input of aws s3api put-bucket-notification-configuration for the federation bucket."
  value       = module.policies.s3_notification_configuration
}

output "update_queue_policy" {
  description = "SQS policy letting only the federation bucket send to the update queue (aws sqs set-queue-attributes)."
  value       = module.policies.update_queue_policy
}

output "update_queue_reader_policy" {
  description = "IAM policy of the IntegrationSource's AWS identity."
  value       = module.policies.update_queue_reader_policy
}

output "aggregation_policy" {
  description = "IAM policy of the aggregation function's AWS identity."
  value       = module.policies.aggregation_policy
}

output "domain_policies" {
  description = "IAM policy per domain for the identity behind its training-s3 Secret."
  value       = module.policies.domain_training_policies
}

output "domain_namespaces" {
  description = "Namespace per domain (its Secrets go there)."
  value       = { for d, m in module.domain : d => m.namespace }
}
