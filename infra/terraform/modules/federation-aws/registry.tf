# ---------------------------------------------------------------- round events

resource "aws_cloudwatch_event_bus" "rounds" {
  name = "${var.name}-rounds"
  tags = local.tags
}

# ---------------------------------------------------------------- registry database

# RDS generates the master password and keeps it in a Secrets Manager secret it manages and rotates:
# the password is never in Terraform's configuration or state. The registry reads it at start
# (QUARKUS_DATASOURCE_PASSWORD_SECRET_ARN, field password), so a rotation reaches it on its next cold
# start without a re-apply.
resource "aws_db_subnet_group" "registry" {
  name       = "${var.name}-registry"
  subnet_ids = var.private_subnet_ids
  tags       = local.tags
}

resource "aws_security_group" "registry_function" {
  name        = "${var.name}-registry-function"
  description = "MeshFL registry Lambda"
  vpc_id      = var.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_egress_rule" "registry_function_all" {
  security_group_id = aws_security_group.registry_function.id
  description       = "PostgreSQL and AWS endpoints"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "database" {
  name        = "${var.name}-registry-db"
  description = "MeshFL registry database: reachable from the registry Lambda only"
  vpc_id      = var.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "database_from_registry" {
  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the registry Lambda"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.registry_function.id
}

resource "aws_rds_cluster" "registry" {
  cluster_identifier            = "${var.name}-registry"
  engine                        = "aurora-postgresql"
  engine_mode                   = "provisioned"
  engine_version                = var.database_engine_version
  database_name                 = local.database_name
  master_username               = "meshfl"
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.kms_key_arn
  db_subnet_group_name          = aws_db_subnet_group.registry.name
  vpc_security_group_ids        = [aws_security_group.database.id]
  storage_encrypted             = true
  kms_key_id                    = var.kms_key_arn
  backup_retention_period       = 7
  deletion_protection           = var.database_deletion_protection
  skip_final_snapshot           = !var.database_deletion_protection
  final_snapshot_identifier     = var.database_deletion_protection ? "${var.name}-registry-final" : null
  copy_tags_to_snapshot         = true

  serverlessv2_scaling_configuration {
    min_capacity             = var.database_min_capacity
    max_capacity             = var.database_max_capacity
    seconds_until_auto_pause = var.database_min_capacity == 0 ? 900 : null
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = var.database_max_capacity >= var.database_min_capacity
      error_message = "database_max_capacity must be at least database_min_capacity."
    }
  }
}

resource "aws_rds_cluster_instance" "registry" {
  identifier           = "${var.name}-registry-1"
  cluster_identifier   = aws_rds_cluster.registry.id
  instance_class       = "db.serverless"
  engine               = aws_rds_cluster.registry.engine
  engine_version       = aws_rds_cluster.registry.engine_version
  db_subnet_group_name = aws_db_subnet_group.registry.name
  tags                 = local.tags
}

# ---------------------------------------------------------------- registry function + HTTP API

resource "aws_security_group" "endpoints" {
  count = var.create_vpc_endpoints ? 1 : 0

  name        = "${var.name}-endpoints"
  description = "Interface endpoints used by the MeshFL registry"
  vpc_id      = var.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_registry" {
  count = var.create_vpc_endpoints ? 1 : 0

  security_group_id            = aws_security_group.endpoints[0].id
  description                  = "HTTPS from the registry Lambda"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.registry_function.id
}

resource "aws_vpc_endpoint" "events" {
  count = var.create_vpc_endpoints ? 1 : 0

  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${data.aws_region.current.name}.events"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.private_subnet_ids
  security_group_ids  = [aws_security_group.endpoints[0].id]
  private_dns_enabled = true
  tags                = local.tags
}

resource "aws_cloudwatch_log_group" "registry" {
  name              = "/aws/lambda/${var.name}-registry"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

locals {
  registry_environment = merge(
    {
      QUARKUS_DATASOURCE_REACTIVE_URL = "postgresql://${aws_rds_cluster.registry.endpoint}:${aws_rds_cluster.registry.port}/${local.database_name}"
      QUARKUS_DATASOURCE_JDBC_URL     = "jdbc:postgresql://${aws_rds_cluster.registry.endpoint}:${aws_rds_cluster.registry.port}/${local.database_name}"
      QUARKUS_DATASOURCE_USERNAME     = aws_rds_cluster.registry.master_username
      # RDS keeps the password in a secret it manages (JSON: username, password); read at start.
      QUARKUS_DATASOURCE_PASSWORD_SECRET_ARN = "${aws_rds_cluster.registry.master_user_secret[0].secret_arn}#password"
      MP_JWT_VERIFY_ISSUER                   = var.jwt_issuer
      # Round events onto the federation's bus (PutEvents, granted by the policies module's registry_policy); the
      # domain modules' round-opened rules match source meshfl.registry and detail-type meshfl.round.opened.
      MP_MESSAGING_OUTGOING_ROUND_EVENTS_CONNECTOR = "meshfl-eventbridge"
      MP_MESSAGING_OUTGOING_ROUND_EVENTS_BUS       = aws_cloudwatch_event_bus.rounds.name
    },
    var.jwt_public_key != null ? { MP_JWT_VERIFY_PUBLICKEY = var.jwt_public_key } : {},
    var.jwt_public_key_location != null ? { MP_JWT_VERIFY_PUBLICKEY_LOCATION = var.jwt_public_key_location } : {},
  )
}

resource "aws_lambda_function" "registry" {
  function_name    = "${var.name}-registry"
  role             = aws_iam_role.registry.arn
  filename         = var.registry_zip_path
  source_code_hash = filebase64sha256(var.registry_zip_path)
  runtime          = local.runtime
  handler          = local.handler
  architectures    = [var.architecture]
  memory_size      = var.registry_memory_mb
  timeout          = 30
  kms_key_arn      = var.kms_key_arn

  vpc_config {
    subnet_ids         = var.private_subnet_ids
    security_group_ids = [aws_security_group.registry_function.id]
  }

  environment {
    variables = local.registry_environment
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.registry.name
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = (var.jwt_public_key == null) != (var.jwt_public_key_location == null)
      error_message = "Set exactly one of jwt_public_key and jwt_public_key_location."
    }
  }

  depends_on = [aws_iam_role_policy_attachment.registry_vpc]
}

resource "aws_cloudwatch_log_group" "registry_api" {
  name              = "/aws/apigateway/${var.name}-registry"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_apigatewayv2_api" "registry" {
  name          = "${var.name}-registry"
  protocol_type = "HTTP"
  description   = "MeshFL registry (docs/registry-api.md); authentication is the registry's own JWT check"
  tags          = local.tags
}

resource "aws_apigatewayv2_integration" "registry" {
  api_id                 = aws_apigatewayv2_api.registry.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.registry.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "registry" {
  api_id    = aws_apigatewayv2_api.registry.id
  route_key = "$default"
  target    = "integrations/${aws_apigatewayv2_integration.registry.id}"
}

resource "aws_apigatewayv2_stage" "registry" {
  api_id      = aws_apigatewayv2_api.registry.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = 100
    throttling_rate_limit  = 50
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.registry_api.arn
    format = jsonencode({
      requestId = "$context.requestId"
      ip        = "$context.identity.sourceIp"
      method    = "$context.httpMethod"
      path      = "$context.path"
      status    = "$context.status"
      latency   = "$context.responseLatency"
      error     = "$context.integrationErrorMessage"
    })
  }

  tags = local.tags
}

resource "aws_lambda_permission" "registry_api" {
  statement_id  = "AllowHttpApi"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.registry.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.registry.execution_arn}/*/*"
}
