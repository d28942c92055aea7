# The mocked AWS of this module's tests (shared by every tests/*.tftest.hcl): ARNs and endpoints the
# provider would compute, so the assertions see realistic values.

mock_data "aws_caller_identity" {
  defaults = { account_id = "999999999999" }
}
mock_data "aws_partition" {
  defaults = { partition = "aws" }
}
mock_data "aws_region" {
  defaults = { name = "eu-west-1" }
}
mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::999999999999:role/meshfl-test-aggregation" }
}
mock_resource "aws_sqs_queue" {
  defaults = { arn = "arn:aws:sqs:eu-west-1:999999999999:meshfl-test-updates" }
}
mock_resource "aws_secretsmanager_secret" {
  defaults = { arn = "arn:aws:secretsmanager:eu-west-1:999999999999:secret:meshfl-test" }
}
mock_resource "aws_cloudwatch_event_bus" {
  defaults = { arn = "arn:aws:events:eu-west-1:999999999999:event-bus/meshfl-test-rounds" }
}
mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:eu-west-1:999999999999:log-group:/aws/lambda/meshfl-test" }
}
mock_resource "aws_rds_cluster" {
  defaults = {
    endpoint           = "meshfl-test-registry.cluster-abc.eu-west-1.rds.amazonaws.com"
    port               = 5432
    master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:eu-west-1:999999999999:secret:rds!cluster-abc", kms_key_id = "", secret_status = "active" }]
  }
}
mock_resource "aws_apigatewayv2_api" {
  defaults = { execution_arn = "arn:aws:execute-api:eu-west-1:999999999999:abc123", id = "abc123" }
}
mock_resource "aws_lambda_function" {
  defaults = {
    arn        = "arn:aws:lambda:eu-west-1:999999999999:function:meshfl-test"
    invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:999999999999:function:meshfl-test/invocations"
  }
}
mock_resource "aws_cloudwatch_event_rule" {
  defaults = { arn = "arn:aws:events:eu-west-1:999999999999:rule/meshfl-test-updates" }
}
mock_resource "aws_s3_bucket" {
  defaults = { arn = "arn:aws:s3:::meshfl-test-federation" }
}
mock_resource "aws_apigatewayv2_stage" {
  defaults = { invoke_url = "https://abc123.execute-api.eu-west-1.amazonaws.com/" }
}
