output "manifests" {
  description = "Kubernetes objects by ordered name (apply in key order: namespace first)."
  value       = local.manifests
}

output "manifests_yaml" {
  description = "All objects as one multi-document YAML stream for kubectl apply --server-side -f -."
  value       = join("", [for k in sort(keys(local.manifests)) : "---\n${yamlencode(local.manifests[k])}"])
}

output "namespace" {
  description = "The federation namespace (domains' Triggers live here, next to the Broker)."
  value       = var.namespace
}

output "broker_name" {
  description = "Name of the Broker."
  value       = var.broker_name
}

output "registry_url" {
  description = "Cluster-local URL of the registry (MESHFL_REGISTRY_URL for domains)."
  value       = local.registry_url
}

output "object_created_type" {
  description = "CloudEvent type the aggregation Trigger filters on (aws-sqs path)."
  value       = local.object_created_type
}

output "webhook_endpoint" {
  description = "Where an S3-compatible store posts notifications (update_events.source = webhook), else null."
  value       = var.update_events.source == "webhook" ? "http://aggregation.${var.namespace}.svc.cluster.local/aggregate" : null
}

output "sweep_event_type" {
  description = "CloudEvent type of the sweep PingSource, which the aggregation package maps to its sweep function."
  value       = "dev.knative.sources.ping"
}
