# Runs with mocked AWS (no credentials, nothing created) wherever the hashicorp/aws provider can be
# installed: `terraform init -backend=false` (or `-plugin-dir=<mirror>`), then `terraform test`.
# infra/terraform/test.sh runs it when a provider mirror is present and says so when it is not.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name                                  = "meshfl-test"
  federation_bucket_name                = "meshfl-test-federation"
  domains                               = { retail = "arn:aws:iam::111111111111:role/meshfl-test-retail-training" }
  aggregation_zip_path                  = "tests/fixtures/function.zip"
  registry_zip_path                     = "tests/fixtures/function.zip"
  aggregation_registry_token_secret_arn = "arn:aws:secretsmanager:eu-west-1:999999999999:secret:meshfl-test-aggregation-token"
  jwt_issuer                            = "https://governance.example.org"
  jwt_public_key                        = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----"
  vpc_id                                = "vpc-0123abcd"
  private_subnet_ids                    = ["subnet-0a", "subnet-0b"]
}

run "native_functions_on_provided_al2023" {
  assert {
    condition     = aws_lambda_function.aggregation.runtime == "provided.al2023" && aws_lambda_function.aggregation.handler == "bootstrap"
    error_message = "Native functions run on provided.al2023 with handler bootstrap."
  }
  assert {
    condition     = aws_lambda_function.registry.runtime == "provided.al2023" && aws_lambda_function.registry.handler == "bootstrap"
    error_message = "Native functions run on provided.al2023 with handler bootstrap."
  }
  assert {
    condition     = aws_lambda_function.aggregation.environment[0].variables["QUARKUS_FUNQY_EXPORT"] == "aggregate"
    error_message = "The aggregation Lambda must pick its Funqy function."
  }
  assert {
    condition     = aws_lambda_function.aggregation.environment[0].variables["MESHFL_REGISTRY_URL"] == "https://abc123.execute-api.eu-west-1.amazonaws.com" && output.registry_url == "https://abc123.execute-api.eu-west-1.amazonaws.com"
    error_message = "The registry URL has no trailing slash (clients append /domains, /rounds/...)."
  }
  assert {
    condition     = aws_lambda_function.aggregation.environment[0].variables["MESHFL_OBJECT_STORE_BUCKET"] == "meshfl-test-federation"
    error_message = "The aggregation Lambda must know the federation bucket."
  }
  assert {
    condition     = length(aws_scheduler_schedule.vertical_sweep) == 0 && length(aws_iam_role.vertical_sweep_scheduler) == 0
    error_message = "Without vertical_head there is no vertical sweep."
  }
}

run "bucket_is_versioned_encrypted_and_private" {
  assert {
    condition     = aws_s3_bucket_versioning.federation.versioning_configuration[0].status == "Enabled"
    error_message = "The federation bucket must be versioned."
  }
  assert {
    condition     = one([for r in aws_s3_bucket_server_side_encryption_configuration.federation.rule : one(r.apply_server_side_encryption_by_default).sse_algorithm]) == "AES256"
    error_message = "Without a KMS key the bucket uses SSE-S3."
  }
  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.federation.block_public_acls,
      aws_s3_bucket_public_access_block.federation.block_public_policy,
      aws_s3_bucket_public_access_block.federation.ignore_public_acls,
      aws_s3_bucket_public_access_block.federation.restrict_public_buckets,
    ])
    error_message = "Public access must be blocked."
  }
  assert {
    condition     = strcontains(aws_s3_bucket_policy.federation.policy, "models/*/rounds/*/updates/retail.safetensors")
    error_message = "The bucket policy must pin retail's update key to retail's role."
  }
}

run "updates_flow_through_an_exact_eventbridge_rule_into_sqs" {
  assert {
    condition     = length(aws_cloudwatch_event_rule.vertical_party) == 0 && length(aws_lambda_function.vertical_head) == 0
    error_message = "Without vertical_domains or vertical_head nothing vertical is deployed."
  }
  assert {
    condition     = aws_s3_bucket_notification.federation.eventbridge && length(aws_s3_bucket_notification.federation.queue) == 0
    error_message = "The default path sends S3 events to EventBridge, not straight to SQS."
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.updates[0].event_pattern).detail.object.key == [{ wildcard = "models/*/rounds/*/updates/*.safetensors" }, { wildcard = "models/*/tmp/*-tree-*/*" }]
    error_message = "The rule must match update keys and sharded rounds' tree objects only."
  }
  assert {
    condition     = aws_cloudwatch_event_target.updates[0].arn == aws_sqs_queue.updates.arn
    error_message = "The rule must target the update queue."
  }
  assert {
    condition     = aws_sqs_queue.updates.visibility_timeout_seconds == 6 * 300
    error_message = "Visibility timeout must be six times the aggregation timeout."
  }
  assert {
    condition     = jsondecode(aws_sqs_queue.updates.redrive_policy).maxReceiveCount == 5
    error_message = "Update events must dead-letter after five deliveries."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.updates.function_response_types == toset(["ReportBatchItemFailures"])
    error_message = "The SQS mapping must report partial batch failures."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.updates.batch_size == 1
    error_message = "One update per invocation: a timed-out batch would send untried updates towards the DLQ."
  }
  assert {
    condition     = aws_cloudwatch_event_target.updates[0].dead_letter_config[0].arn == aws_sqs_queue.updates_dlq.arn
    error_message = "Events EventBridge cannot deliver go to the DLQ."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["updates-dead-letters"].dimensions.QueueName == aws_sqs_queue.updates_dlq.name
    error_message = "An alarm watches the DLQ."
  }
}

run "every_alarm_notifies_the_topics_on_alarm_and_recovery" {
  command = plan
  variables {
    alarm_topic_arns = ["arn:aws:sns:eu-west-1:999999999999:meshfl-ops"]
  }
  assert {
    condition     = keys(aws_cloudwatch_metric_alarm.this) == ["aggregation-errors", "sweeper-errors", "sweeper-silent", "updates-dead-letters"]
    error_message = "Alarms: ${jsonencode(keys(aws_cloudwatch_metric_alarm.this))}."
  }
  assert {
    condition     = alltrue([for a in values(aws_cloudwatch_metric_alarm.this) : a.alarm_actions == toset(["arn:aws:sns:eu-west-1:999999999999:meshfl-ops"]) && a.ok_actions == toset(["arn:aws:sns:eu-west-1:999999999999:meshfl-ops"])])
    error_message = "Every alarm notifies alarm_topic_arns, on alarm and on recovery."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["aggregation-errors"].alarm_name == "meshfl-test-aggregation-errors" && aws_cloudwatch_metric_alarm.this["updates-dead-letters"].alarm_name == "meshfl-test-updates-dead-letters"
    error_message = "The alarms keep their names."
  }
}

run "lease_outlives_the_aggregation_timeout" {
  variables {
    aggregation_timeout_seconds = 900
  }
  assert {
    condition     = aws_lambda_function.aggregation.environment[0].variables["MESHFL_AGGREGATION_LEASE"] == "PT960S"
    error_message = "The round-close lease must outlive the Lambda timeout, or a live aggregation is taken over."
  }
  assert {
    condition     = aws_lambda_function.aggregation.environment[0].variables["MESHFL_OBJECT_STORE_REGION"] == "eu-west-1"
    error_message = "The S3 client signs for the bucket's region."
  }
}

run "registry_behind_http_api_with_database_settings" {
  assert {
    condition     = aws_apigatewayv2_integration.registry.payload_format_version == "2.0" && aws_apigatewayv2_route.registry.route_key == "$default"
    error_message = "The registry is one Lambda behind an HTTP API (payload 2.0, default route)."
  }
  assert {
    condition     = aws_lambda_function.registry.environment[0].variables["QUARKUS_DATASOURCE_REACTIVE_URL"] == "postgresql://meshfl-test-registry.cluster-abc.eu-west-1.rds.amazonaws.com:5432/meshfl"
    error_message = "Unexpected reactive URL ${aws_lambda_function.registry.environment[0].variables["QUARKUS_DATASOURCE_REACTIVE_URL"]}."
  }
  assert {
    condition     = aws_lambda_function.registry.environment[0].variables["QUARKUS_DATASOURCE_JDBC_URL"] == "jdbc:postgresql://meshfl-test-registry.cluster-abc.eu-west-1.rds.amazonaws.com:5432/meshfl"
    error_message = "Unexpected JDBC URL."
  }
  assert {
    condition     = aws_rds_cluster.registry.manage_master_user_password && aws_rds_cluster.registry.master_password == null
    error_message = "RDS generates and keeps the database password: it is never in Terraform state."
  }
  assert {
    condition     = aws_lambda_function.registry.environment[0].variables["QUARKUS_DATASOURCE_PASSWORD_SECRET_ARN"] == "arn:aws:secretsmanager:eu-west-1:999999999999:secret:rds!cluster-abc#password"
    error_message = "The registry reads the password from the secret RDS manages, at start."
  }
  assert {
    condition     = strcontains(aws_iam_role_policy.registry.policy, "arn:aws:secretsmanager:eu-west-1:999999999999:secret:rds!cluster-abc")
    error_message = "The registry's role may read the database secret."
  }
  assert {
    condition     = aws_rds_cluster.registry.storage_encrypted && aws_rds_cluster.registry.engine == "aurora-postgresql"
    error_message = "The registry database is encrypted Aurora PostgreSQL."
  }
}

run "jvm_mode_uses_the_quarkus_stream_handler" {
  variables {
    function_mode = "jvm"
  }
  assert {
    condition     = aws_lambda_function.aggregation.runtime == "java17" && aws_lambda_function.aggregation.handler == "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
    error_message = "JVM mode runs java17 with Quarkus's stream handler."
  }
}

run "s3_notification_path_filters_per_model" {
  variables {
    update_event_path = "s3-notification"
    models            = ["fraud", "churn"]
  }
  assert {
    condition     = !aws_s3_bucket_notification.federation.eventbridge && length(aws_cloudwatch_event_rule.updates) == 0
    error_message = "The S3 notification path needs no EventBridge rule."
  }
  assert {
    condition     = toset([for q in aws_s3_bucket_notification.federation.queue : q.filter_prefix]) == toset(["models/fraud/rounds/", "models/churn/rounds/", "models/fraud/tmp/", "models/churn/tmp/"])
    error_message = "Two S3 filters per model: updates under rounds/, a sharded round's tree under tmp/."
  }
  assert {
    condition     = [for q in aws_s3_bucket_notification.federation.queue : coalesce(q.filter_suffix, "none") if q.filter_prefix == "models/fraud/tmp/"] == ["none"]
    error_message = "A tree's task objects have no suffix: the tmp/ filter must not name one."
  }
}

run "s3_notification_path_without_models_is_refused" {
  command = plan
  variables {
    update_event_path = "s3-notification"
  }
  expect_failures = [aws_s3_bucket_notification.federation]
}

run "both_jwt_key_settings_are_refused" {
  command = plan
  variables {
    jwt_public_key_location = "https://governance.example.org/jwks.json"
  }
  expect_failures = [aws_lambda_function.registry]
}

run "rejects_a_single_subnet" {
  command = plan
  variables {
    private_subnet_ids = ["subnet-0a"]
  }
  expect_failures = [var.private_subnet_ids]
}

# The environments the Lambdas get keep infra/contract/functions.json: every variable is one the function
# reads, every setting it requires is there, and no secret value is in it (or in state).
run "function_environments" {
  command = plan
}

run "aggregation_environment_keeps_the_contract" {
  command = plan
  module {
    source = "../../contract-check"
  }
  variables {
    function    = "aggregation"
    environment = { for n in run.function_environments.aggregation_environment_names : n => "value" }
  }
  assert {
    condition     = output.problems == ""
    error_message = "The aggregation Lambda's environment breaks the contract: ${output.problems}."
  }
}

run "registry_environment_keeps_the_contract" {
  command = plan
  module {
    source = "../../contract-check"
  }
  variables {
    function    = "registry"
    environment = { for n in run.function_environments.registry_environment_names : n => "value" }
  }
  assert {
    condition     = output.problems == ""
    error_message = "The registry Lambda's environment breaks the contract: ${output.problems}."
  }
  assert {
    condition     = contains(run.function_environments.registry_environment_names, "MP_MESSAGING_OUTGOING_ROUND_EVENTS_CONNECTOR") && contains(run.function_environments.registry_environment_names, "MP_MESSAGING_OUTGOING_ROUND_EVENTS_BUS")
    error_message = "The registry publishes round events on the bus: it needs the EventBridge connector and the bus name."
  }
}
