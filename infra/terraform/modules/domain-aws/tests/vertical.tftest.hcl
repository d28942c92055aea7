# A domain in vertical models on AWS: the training image as a second Lambda exporting `vertical`, fed by a queue
# that admits only the federation's rule, under the training role with the vertical statements. Mocked AWS.

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
    defaults = { arn = "arn:aws:sqs:eu-west-1:111111111111:meshfl-test-retail-vertical" }
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
    defaults = { arn = "arn:aws:lambda:eu-west-1:111111111111:function:meshfl-test-retail-vertical" }
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
  vertical                  = ["fraud"]
  vertical_event_rule_arn   = "arn:aws:events:eu-west-1:999999999999:rule/meshfl-test-vertical-retail"
  round_events_bus_name     = "meshfl-test-rounds"
}

run "vertical" {
  assert {
    condition     = length(aws_scheduler_schedule.vertical_sweep) == 0
    error_message = "A party that runs no head has no sweep schedule."
  }
  assert {
    condition     = aws_lambda_function.vertical[0].image_uri == aws_lambda_function.training.image_uri && aws_lambda_function.vertical[0].role == aws_lambda_function.training.role
    error_message = "The vertical Lambda is the training image under the training role."
  }
  assert {
    condition     = { for k, v in aws_lambda_function.vertical[0].environment[0].variables : k => v if k != "QUARKUS_FUNQY_EXPORT" } == { for k, v in aws_lambda_function.training.environment[0].variables : k => v if k != "QUARKUS_FUNQY_EXPORT" } && aws_lambda_function.vertical[0].environment[0].variables["QUARKUS_FUNQY_EXPORT"] == "vertical"
    error_message = "The vertical Lambda has the training settings and exports vertical."
  }
  assert {
    condition     = jsondecode(aws_sqs_queue_policy.vertical[0].policy).Statement[0].Condition.ArnEquals["aws:SourceArn"] == ["arn:aws:events:eu-west-1:999999999999:rule/meshfl-test-vertical-retail", "arn:aws:events:eu-west-1:111111111111:rule/meshfl-test-rounds/meshfl-test-retail-vertical-round-opened"]
    error_message = "The queue admits only the federation's rule for this domain and the domain's round-opened rule."
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.vertical_round_opened[0].event_pattern) == { source = ["meshfl.registry"], "detail-type" = ["meshfl.vround.opened"], detail = { model = ["fraud"] } } && aws_cloudwatch_event_rule.vertical_round_opened[0].event_bus_name == "meshfl-test-rounds"
    error_message = "The registry's opened rounds of the domain's vertical models, on the round events bus, start its rounds."
  }
  assert {
    condition     = aws_cloudwatch_event_target.vertical_round_opened[0].arn == aws_sqs_queue.vertical[0].arn
    error_message = "Opened rounds are queued to the vertical Lambda with the object events."
  }
  assert {
    condition     = contains([for s in jsondecode(aws_iam_role_policy.training.policy).Statement : s.Sid], "WriteOwnVerticalObjects")
    error_message = "The training role gets the vertical statements."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.vertical[0].batch_size == 1
    error_message = "One object per invocation."
  }
}

run "vertical_environment_keeps_the_contract" {
  command = plan
  module {
    source = "../../contract-check"
  }
  variables {
    function    = "training"
    export      = run.vertical.vertical_export
    environment = { for n in run.vertical.vertical_environment_names : n => "value" }
  }
  assert {
    condition     = output.problems == "" && var.export == "vertical"
    error_message = "The vertical Lambda's environment breaks the contract: ${output.problems}."
  }
}

run "vertical_needs_the_round_events_bus" {
  command = plan
  variables {
    round_events_bus_name = null
  }
  expect_failures = [aws_cloudwatch_event_rule.vertical_round_opened]
}

run "a_domain_owned_head_is_swept_on_schedule" {
  command = plan
  variables {
    vertical_head = ["fraud"]
  }
  assert {
    condition = (aws_scheduler_schedule.vertical_sweep[0].target[0].arn == aws_lambda_function.vertical[0].arn
      && jsondecode(aws_scheduler_schedule.vertical_sweep[0].target[0].input) == { sweep = "vertical-rounds" }
      && aws_scheduler_schedule.vertical_sweep[0].schedule_expression == "rate(1 minute)"
      && aws_scheduler_schedule.vertical_sweep[0].target[0].retry_policy[0].maximum_retry_attempts == 0
      && jsondecode(aws_iam_role_policy.vertical_sweep_scheduler[0].policy).Statement == [{ Effect = "Allow", Action = ["lambda:InvokeFunction"], Resource = ["arn:aws:lambda:eu-west-1:111111111111:function:meshfl-test-retail-vertical"] }]
    && jsondecode(aws_iam_role.vertical_sweep_scheduler[0].assume_role_policy).Statement[0].Condition.ArnEquals["aws:SourceArn"] == "arn:aws:scheduler:eu-west-1:111111111111:schedule/default/meshfl-test-retail-vertical-sweep")
    error_message = "Every minute the schedule sends the domain's vertical Lambda the sweep input, through a role that may invoke it and nothing else."
  }
}
