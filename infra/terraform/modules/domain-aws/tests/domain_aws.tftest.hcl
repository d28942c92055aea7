# Runs with mocked AWS wherever the hashicorp/aws provider can be installed (see ../federation-aws/tests).

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:eu-west-1:111111111111:meshfl-test-retail-training-failures" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/meshfl-test-retail-training" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::meshfl-test-retail-data-111111111111" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/meshfl-test-retail-training" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:111111111111:function:meshfl-test-retail-training" }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-1:111111111111:rule/meshfl-test-rounds/meshfl-test-retail-round-opened" }
  }
}

variables {
  name                      = "meshfl-test"
  domain                    = "retail"
  federation_bucket_name    = "meshfl-test-federation"
  registry_url              = "https://abc123.execute-api.eu-west-1.amazonaws.com/"
  registry_token_secret_arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:meshfl-test-retail-registry-token"
  signing_key_secret_arn    = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:meshfl-test-retail-signing-key"
  training_image_uri        = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/meshfl-training:0.1.0"
  schedules = {
    fraud = { expression = "cron(0 2 * * ? *)", timezone = "Europe/Berlin", data_product = "retail.transactions" }
    churn = { expression = "rate(1 day)" }
  }
}

run "training_runs_as_a_container_image_with_room_for_libtorch" {
  assert {
    condition     = aws_lambda_function.training.package_type == "Image" && aws_lambda_function.training.architectures == tolist(["x86_64"])
    error_message = "Training ships as an x86_64 container image."
  }
  assert {
    condition     = aws_lambda_function.training.ephemeral_storage[0].size >= 1024
    error_message = "/tmp must hold the unpacked libtorch."
  }
  assert {
    condition = (aws_lambda_function.training.environment[0].variables["DJL_CACHE_DIR"] == "/tmp/djl"
    && aws_lambda_function.training.environment[0].variables["ENGINE_CACHE_DIR"] == "/tmp/djl")
    error_message = "DJL must unpack into /tmp, the only writable place on Lambda."
  }
  assert {
    condition     = aws_lambda_function.training.environment[0].variables["DJL_OFFLINE"] == "true"
    error_message = "DJL must run offline."
  }
  assert {
    condition     = aws_lambda_function.training.environment[0].variables["MESHFL_TRAINING_SIGNING_KEY_SECRET_ARN"] == "arn:aws:secretsmanager:eu-west-1:111111111111:secret:meshfl-test-retail-signing-key"
    error_message = "The function reads the signing key from the domain's secret at start; the value is not in its configuration."
  }
  assert {
    condition     = aws_lambda_function.training.environment[0].variables["MESHFL_TRAINING_DOMAIN"] == "retail"
    error_message = "The function's domain is MESHFL_TRAINING_DOMAIN (meshfl.training.domain)."
  }
}

run "training_signs_for_the_region_of_the_federation_bucket" {
  assert {
    condition     = aws_lambda_function.training.environment[0].variables["MESHFL_OBJECT_STORE_REGION"] == "eu-west-1"
    error_message = "Without federation_region the bucket is in the provider's region."
  }
}

run "federation_bucket_in_another_region" {
  variables {
    federation_region = "ap-southeast-2"
  }
  assert {
    condition     = aws_lambda_function.training.environment[0].variables["MESHFL_OBJECT_STORE_REGION"] == "ap-southeast-2"
    error_message = "federation_region is what the S3 client signs for."
  }
}

run "failed_async_runs_go_to_a_failure_queue_with_an_alarm" {
  variables {
    alarm_topic_arns = ["arn:aws:sns:eu-west-1:111111111111:meshfl-alarms"]
  }
  assert {
    condition     = length(aws_lambda_function.vertical) == 0 && !contains([for s in jsondecode(aws_iam_role_policy.training.policy).Statement : s.Sid], "WriteOwnVerticalObjects")
    error_message = "A domain outside vertical models gets no vertical Lambda and no vertical statements (vertical defaults to no model)."
  }
  assert {
    condition     = aws_lambda_function_event_invoke_config.training.maximum_retry_attempts == 1 && aws_lambda_function_event_invoke_config.training.destination_config[0].on_failure[0].destination == aws_sqs_queue.training_failures.arn
    error_message = "Failed asynchronous runs are retried once and then kept in the failure queue."
  }
  assert {
    condition     = strcontains(aws_iam_role_policy.training_failures.policy, "sqs:SendMessage")
    error_message = "The role may send to its failure queue."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.training_failures.dimensions.QueueName == aws_sqs_queue.training_failures.name && aws_cloudwatch_metric_alarm.training_failures.alarm_actions == toset(["arn:aws:sns:eu-west-1:111111111111:meshfl-alarms"])
    error_message = "An alarm watches the failure queue and notifies the given topics."
  }
}

run "role_policy_is_the_domains_least_privilege_policy" {
  assert {
    condition     = strcontains(aws_iam_role_policy.training.policy, "arn:aws:s3:::meshfl-test-federation/models/*/rounds/*/updates/retail.safetensors")
    error_message = "The role may write retail's update keys."
  }
  assert {
    condition     = strcontains(aws_iam_role_policy.training.policy, "arn:aws:s3:::meshfl-test-retail-data-111111111111/*")
    error_message = "The role may read the domain's own data bucket."
  }
  assert {
    condition = toset(flatten([for st in jsondecode(aws_iam_role_policy.training.policy).Statement : st.Resource if contains(flatten([st.Action]), "secretsmanager:GetSecretValue")])) == toset([
      "arn:aws:secretsmanager:eu-west-1:111111111111:secret:meshfl-test-retail-signing-key",
      "arn:aws:secretsmanager:eu-west-1:111111111111:secret:meshfl-test-retail-registry-token",
    ])
    error_message = "The role reads exactly its signing key and its registry token."
  }
  assert {
    condition     = !strcontains(aws_iam_role_policy.training.policy, "updates/*.safetensors")
    error_message = "The role must not write other domains' updates."
  }
}

run "schedules_invoke_training_with_model_and_domain" {
  assert {
    condition     = jsondecode(aws_scheduler_schedule.training["fraud"].target[0].input) == { model = "fraud", domain = "retail", dataProduct = "retail.transactions" }
    error_message = "Unexpected input ${aws_scheduler_schedule.training["fraud"].target[0].input}."
  }
  assert {
    condition     = jsondecode(aws_scheduler_schedule.training["churn"].target[0].input) == { model = "churn", domain = "retail" }
    error_message = "Without a data product the input names model and domain only."
  }
  assert {
    condition     = aws_scheduler_schedule.training["fraud"].schedule_expression_timezone == "Europe/Berlin"
    error_message = "Schedules keep their time zone."
  }
  assert {
    condition     = length(aws_cloudwatch_event_rule.round_opened) == 0
    error_message = "The round-opened trigger is opt-in."
  }
}

run "round_opened_trigger_filters_the_scheduled_models" {
  variables {
    trigger_on_round_opened = true
    round_events_bus_name   = "meshfl-test-rounds"
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.round_opened[0].event_pattern)["detail-type"] == ["meshfl.round.opened"]
    error_message = "The rule listens to round-opened events only."
  }
  assert {
    condition     = toset(jsondecode(aws_cloudwatch_event_rule.round_opened[0].event_pattern).detail.model) == toset(["fraud", "churn"])
    error_message = "The rule listens to the domain's models only."
  }
}

run "round_opened_trigger_needs_the_bus" {
  command = plan
  variables {
    trigger_on_round_opened = true
  }
  expect_failures = [aws_cloudwatch_event_rule.round_opened]
}

run "rejects_a_non_ecr_image" {
  command = plan
  variables {
    training_image_uri = "docker.io/meshfl/training:latest"
  }
  expect_failures = [var.training_image_uri]
}

run "rejects_a_bad_schedule_expression" {
  command = plan
  variables {
    schedules = { fraud = { expression = "every day" } }
  }
  expect_failures = [var.schedules]
}

run "rejects_too_little_tmp_for_libtorch" {
  command = plan
  variables {
    training_ephemeral_storage_mb = 512
  }
  expect_failures = [var.training_ephemeral_storage_mb]
}

# The environment the training Lambda gets keeps infra/contract/functions.json: every variable is one the
# training function reads, every setting it requires is there, and no secret value is in it (or in state).
run "training_environment_keeps_the_contract" {
  command = plan
}

run "training_environment_checked_against_the_contract" {
  command = plan
  module {
    source = "../../contract-check"
  }
  variables {
    function    = "training"
    environment = { for n in run.training_environment_keeps_the_contract.training_environment_names : n => "value" }
  }
  assert {
    condition     = output.problems == ""
    error_message = "The training Lambda's environment breaks the contract: ${output.problems}."
  }
}
