# A federation and three domains in one account and one apply. In a real mesh each domain applies its
# own domain-aws module in its own account and hands the federation its training role ARN.

module "federation" {
  source = "../../modules/federation-aws"

  name                                  = var.name
  function_mode                         = var.function_mode
  aggregation_zip_path                  = var.aggregation_zip_path
  registry_zip_path                     = var.registry_zip_path
  aggregation_registry_token_secret_arn = var.aggregation_registry_token_secret_arn
  jwt_issuer                            = var.jwt_issuer
  jwt_public_key                        = var.jwt_public_key
  vpc_id                                = var.vpc_id
  private_subnet_ids                    = var.private_subnet_ids
  governance_principal_arns             = var.governance_principal_arns
  max_model_size_mb                     = var.max_model_size_mb
  sweep_schedule_expression             = var.sweep_schedule_expression
  # Round updates and tmp objects of these models expire; the event rule needs no model list.
  models  = distinct(flatten([for d in keys(var.domains) : keys(var.domains[d].schedules)]))
  domains = { for d, m in module.domain : d => m.training_role_arn }

  # Demo only: let `terraform destroy` remove everything.
  force_destroy                = true
  database_deletion_protection = false
}

module "domain" {
  source   = "../../modules/domain-aws"
  for_each = var.domains

  name                      = var.name
  domain                    = each.key
  federation_bucket_name    = module.federation.federation_bucket_name
  registry_url              = module.federation.registry_url
  registry_token_secret_arn = each.value.registry_token_secret_arn
  signing_key_secret_arn    = each.value.signing_key_secret_arn
  training_image_uri        = var.training_image_uri
  schedules                 = each.value.schedules
  round_events_bus_name     = module.federation.round_events_bus_name
}
