terraform {
  # No providers: this example renders manifests (applied with kubectl) and the AWS-side documents for
  # the S3 -> SQS event path (applied with the aws CLI). See ../../modules/federation-knative/README.md.
  required_version = ">= 1.6.0"
}
