# A federation and three domains on one Knative cluster, with the federation bucket on S3: S3 sends
# ObjectCreated notifications for update keys (one prefix filter per model) to SQS, the aws-sqs
# IntegrationSource moves them to the Broker, a Trigger hands them to the aggregation service.
# Secrets named below are created with kubectl (docs/deploy.md), never by Terraform.

locals {
  models = sort(distinct(flatten([for d in values(var.domains) : keys(d.schedules)])))
}

module "policies" {
  source = "../../modules/policies"

  federation_bucket_name  = var.federation_bucket_name
  domains                 = { for d, _ in var.domains : d => { data_bucket_name = "${var.name}-${d}-data" } }
  update_event_path       = "s3-notification"
  update_queue_arn        = var.update_queue_arn
  update_event_source_arn = "arn:aws:s3:::${var.federation_bucket_name}"
  models                  = local.models
}

module "federation" {
  source = "../../modules/federation-knative"

  name              = var.name
  registry_image    = "${var.image_prefix}/meshfl-registry-function:${var.image_tag}"
  aggregation_image = "${var.image_prefix}/meshfl-aggregation-function:${var.image_tag}"
  object_store      = { bucket = var.federation_bucket_name, region = var.region, credentials_secret = "aggregation-s3" }
  update_events = {
    source     = "aws-sqs"
    queue_arn  = var.update_queue_arn
    region     = var.region
    aws_secret = "update-queue-reader"
  }
  database                 = { host = var.database_host, credentials_secret = "registry-db" }
  jwt                      = { issuer = var.jwt_issuer, public_key_secret = "registry-jwt" }
  aggregation_token_secret = "aggregation-registry-token"
  sweep_schedule           = var.sweep_schedule
}

module "domain" {
  source   = "../../modules/domain-knative"
  for_each = var.domains

  federation = {
    name         = var.name
    namespace    = module.federation.namespace
    broker_name  = module.federation.broker_name
    registry_url = module.federation.registry_url
  }
  domain                = each.key
  training_image        = "${var.image_prefix}/meshfl-training-function:${var.image_tag}"
  object_store          = { bucket = var.federation_bucket_name, region = var.region, credentials_secret = "training-s3" }
  registry_token_secret = "registry-token"
  signing_key_secret    = "signing-key"
  schedules             = each.value.schedules
}
