# Plans and "applies" the whole example against a mocked AWS: catches dependency cycles between the
# federation and the domains and checks the wiring. Runs where the hashicorp/aws provider is installed.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:eu-west-1:123456789012:mock" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:mock" }
  }
  mock_resource "aws_cloudwatch_event_bus" {
    defaults = { arn = "arn:aws:events:eu-west-1:123456789012:event-bus/mock" }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-1:123456789012:rule/mock" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mock" }
  }
  mock_resource "aws_rds_cluster" {
    defaults = {
      endpoint           = "mock.cluster-abc.eu-west-1.rds.amazonaws.com"
      port               = 5432
      master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-abc", kms_key_id = "", secret_status = "active" }]
    }
  }
  mock_resource "aws_apigatewayv2_api" {
    defaults = { execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:abc123", id = "abc123" }
  }
  mock_resource "aws_apigatewayv2_stage" {
    defaults = { invoke_url = "https://abc123.execute-api.eu-west-1.amazonaws.com/" }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn        = "arn:aws:lambda:eu-west-1:123456789012:function:mock"
      invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:mock/invocations"
    }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::mock" }
  }
}

variables {
  vpc_id                                = "vpc-0123abcd"
  private_subnet_ids                    = ["subnet-0a", "subnet-0b"]
  aggregation_zip_path                  = "tests/fixtures/function.zip"
  registry_zip_path                     = "tests/fixtures/function.zip"
  training_image_uri                    = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/meshfl-training-function:0.1.0"
  jwt_issuer                            = "https://governance.example.org"
  jwt_public_key                        = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----"
  aggregation_registry_token_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:aggregation-token"
  domains = {
    retail    = { signing_key_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:retail", registry_token_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:retail-token", schedules = { fraud = { expression = "rate(1 day)" } } }
    logistics = { signing_key_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:logistics", registry_token_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:logistics-token", schedules = { fraud = { expression = "rate(1 day)" } } }
    finance   = { signing_key_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:finance", registry_token_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:finance-token", schedules = { fraud = { expression = "rate(1 day)" }, churn = { expression = "rate(7 days)" } } }
  }
}

run "three_domains_wired_to_one_federation" {
  assert {
    condition     = toset(keys(output.training_function_names)) == toset(["retail", "logistics", "finance"])
    error_message = "Every domain gets a training function."
  }
  assert {
    condition     = length(distinct(values(output.data_bucket_names))) == 3 && alltrue([for d, b in output.data_bucket_names : startswith(b, "meshfl-demo-${d}-data-")])
    error_message = "Each domain owns its own data bucket: ${jsonencode(output.data_bucket_names)}."
  }
  assert {
    condition     = startswith(output.federation_bucket_name, "meshfl-demo-federation-")
    error_message = "The federation bucket is named after the federation."
  }
}
