output "manifests" {
  description = "Kubernetes objects by ordered name (namespace first). The round-opened Trigger is in the federation's namespace."
  value       = local.manifests
}

output "manifests_yaml" {
  description = "All objects as one multi-document YAML stream for kubectl apply --server-side -f -."
  value       = join("", [for k in sort(keys(local.manifests)) : "---\n${yamlencode(local.manifests[k])}"])
}

output "namespace" {
  description = "The domain's namespace."
  value       = local.namespace
}

output "training_url" {
  description = "Cluster-local URL of the domain's training function (POST /train)."
  value       = "http://training.${local.namespace}.svc.cluster.local/train"
}
