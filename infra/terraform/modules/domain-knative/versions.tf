terraform {
  # No providers on purpose: this module renders Kubernetes manifests (see README: why not
  # kubernetes_manifest or helm_release), so `terraform test` runs it anywhere.
  required_version = ">= 1.6.0"
}
