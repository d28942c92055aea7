terraform {
  # No providers on purpose: this module only computes JSON documents, so `terraform test` runs it on a
  # machine that cannot download provider plugins.
  required_version = ">= 1.6.0"
}
