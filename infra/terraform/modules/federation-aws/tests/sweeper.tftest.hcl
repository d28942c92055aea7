# The sweeper (issue 15): the aggregation package's `sweep` function in a second Lambda, invoked by an
# EventBridge Scheduler schedule. Mocked AWS as in federation_aws.tftest.hcl.

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

run "sweeper_is_the_aggregation_package_exporting_sweep_with_the_same_settings" {
  variables {
    aggregation_timeout_seconds = 600
    aggregation_memory_mb       = 2048
  }
  assert {
    condition     = aws_lambda_function.sweeper.environment[0].variables["QUARKUS_FUNQY_EXPORT"] == "sweep"
    error_message = "The sweeper Lambda must export the sweep function."
  }
  assert {
    condition     = { for k, v in aws_lambda_function.sweeper.environment[0].variables : k => v if k != "QUARKUS_FUNQY_EXPORT" } == { for k, v in aws_lambda_function.aggregation.environment[0].variables : k => v if k != "QUARKUS_FUNQY_EXPORT" }
    error_message = "The sweeper needs every MESHFL_* setting of the aggregation function, with the same values (lease included)."
  }
  assert {
    condition     = aws_lambda_function.sweeper.environment[0].variables["MESHFL_AGGREGATION_LEASE"] == "PT660S" && aws_lambda_function.sweeper.timeout == 600
    error_message = "The sweeper aggregates under the aggregation lease, so its timeout is the aggregation timeout."
  }
  assert {
    condition = (aws_lambda_function.sweeper.filename == aws_lambda_function.aggregation.filename
      && aws_lambda_function.sweeper.source_code_hash == aws_lambda_function.aggregation.source_code_hash
      && aws_lambda_function.sweeper.runtime == aws_lambda_function.aggregation.runtime
    && aws_lambda_function.sweeper.handler == aws_lambda_function.aggregation.handler)
    error_message = "The sweeper is the same package as the aggregation function."
  }
  assert {
    condition     = aws_lambda_function.sweeper.memory_size == 2048 && aws_lambda_function.sweeper.reserved_concurrent_executions == 1
    error_message = "The sweeper gets the aggregation memory and runs one sweep at a time."
  }
  assert {
    condition     = aws_lambda_function.sweeper.logging_config[0].log_group == "/aws/lambda/meshfl-test-sweeper" && aws_iam_role.sweeper.name == "meshfl-test-sweeper"
    error_message = "The sweeper has its own log group and role."
  }
  assert {
    condition     = aws_lambda_function_event_invoke_config.sweeper.maximum_retry_attempts == 0 && aws_lambda_function_event_invoke_config.sweeper.maximum_event_age_in_seconds == 60
    error_message = "A failed or throttled sweep is not retried: the next scheduled one does the same work."
  }
}

run "sweep_schedule_invokes_the_sweeper_every_minute_by_default" {
  # Fresh state, so the overridden ARNs are the ones the resources get.
  state_key = "sweep_schedule_invokes_the_sweeper_every_minute_by_default"
  override_resource {
    target = aws_lambda_function.sweeper
    values = { arn = "arn:aws:lambda:eu-west-1:999999999999:function:meshfl-test-sweeper" }
  }
  assert {
    condition     = aws_scheduler_schedule.sweep.schedule_expression == "rate(1 minute)" && aws_scheduler_schedule.sweep.flexible_time_window[0].mode == "OFF"
    error_message = "The default sweep runs every minute, on time."
  }
  assert {
    condition     = aws_scheduler_schedule.sweep.target[0].arn == "arn:aws:lambda:eu-west-1:999999999999:function:meshfl-test-sweeper" && aws_scheduler_schedule.sweep.target[0].input == "{}"
    error_message = "The schedule invokes the sweeper Lambda with {}."
  }
  assert {
    condition     = aws_scheduler_schedule.sweep.target[0].role_arn == aws_iam_role.sweep_scheduler.arn
    error_message = "The schedule uses its own role."
  }
  assert {
    condition     = aws_scheduler_schedule.sweep.target[0].retry_policy[0].maximum_retry_attempts == 0
    error_message = "An undelivered sweep is superseded by the next one, not retried."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["sweeper-silent"].period == 900 && aws_cloudwatch_metric_alarm.this["sweeper-silent"].treat_missing_data == "breaching"
    error_message = "No sweep for 15 minutes raises the alarm."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["sweeper-errors"].dimensions.FunctionName == "meshfl-test-sweeper" && aws_cloudwatch_metric_alarm.this["sweeper-silent"].dimensions.FunctionName == "meshfl-test-sweeper"
    error_message = "The alarms watch the sweeper."
  }
}

run "sweep_schedule_is_configurable" {
  variables {
    sweep_schedule_expression    = "rate(10 minutes)"
    sweeper_reserved_concurrency = null
  }
  assert {
    condition     = aws_scheduler_schedule.sweep.schedule_expression == "rate(10 minutes)"
    error_message = "The sweep schedule follows sweep_schedule_expression."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["sweeper-silent"].period == 1800
    error_message = "The silence alarm waits three schedule intervals."
  }
  assert {
    condition     = aws_lambda_function.sweeper.reserved_concurrent_executions == -1
    error_message = "null reserves no concurrency."
  }
}

run "sweep_schedule_takes_cron_expressions" {
  variables {
    sweep_schedule_expression = "cron(0/5 * * * ? *)"
    sweep_schedule_timezone   = "Europe/Berlin"
  }
  assert {
    condition     = aws_scheduler_schedule.sweep.schedule_expression == "cron(0/5 * * * ? *)" && aws_scheduler_schedule.sweep.schedule_expression_timezone == "Europe/Berlin"
    error_message = "A cron sweep keeps its time zone."
  }
}

run "rejects_a_sweep_schedule_that_is_no_scheduler_expression" {
  command = plan
  variables {
    sweep_schedule_expression = "every minute"
  }
  expect_failures = [var.sweep_schedule_expression]
}

run "rejects_more_reserved_sweeps_than_make_sense" {
  command = plan
  variables {
    sweeper_reserved_concurrency = 0
  }
  expect_failures = [var.sweeper_reserved_concurrency]
}

run "scheduler_role_may_invoke_the_sweeper_and_nothing_else" {
  # Fresh state, so the overridden ARNs are the ones the resources get.
  state_key = "scheduler_role_may_invoke_the_sweeper_and_nothing_else"
  override_resource {
    target = aws_lambda_function.sweeper
    values = { arn = "arn:aws:lambda:eu-west-1:999999999999:function:meshfl-test-sweeper" }
  }
  override_resource {
    target = aws_lambda_function.aggregation
    values = { arn = "arn:aws:lambda:eu-west-1:999999999999:function:meshfl-test-aggregation" }
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.sweep_scheduler.policy).Statement == [{
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction"]
      Resource = ["arn:aws:lambda:eu-west-1:999999999999:function:meshfl-test-sweeper"]
    }]
    error_message = "The scheduler role may invoke the sweeper Lambda only: ${aws_iam_role_policy.sweep_scheduler.policy}."
  }
  assert {
    condition     = jsondecode(aws_iam_role.sweep_scheduler.assume_role_policy).Statement[0].Principal == { Service = "scheduler.amazonaws.com" }
    error_message = "Only EventBridge Scheduler may assume the scheduler role."
  }
  assert {
    condition     = jsondecode(aws_iam_role.sweep_scheduler.assume_role_policy).Statement[0].Condition.ArnEquals["aws:SourceArn"] == "arn:aws:scheduler:eu-west-1:999999999999:schedule/default/meshfl-test-sweep"
    error_message = "Only the sweep schedule may use the scheduler role."
  }
}

run "sweeper_role_has_the_aggregation_object_access_and_no_queue" {
  # Fresh state, so the overridden ARNs are the ones the resources get.
  state_key = "sweeper_role_has_the_aggregation_object_access_and_no_queue"
  override_resource {
    target = aws_iam_role.sweeper
    values = { arn = "arn:aws:iam::999999999999:role/meshfl-test-sweeper" }
  }
  assert {
    condition     = aws_iam_role_policy.sweeper.policy == module.policies.sweeper_policy && !strcontains(aws_iam_role_policy.sweeper.policy, "sqs:")
    error_message = "The sweeper's role gets the policies module's sweeper policy, without the update queue."
  }
  assert {
    condition     = strcontains(aws_iam_role_policy.sweeper.policy, "arn:aws:secretsmanager:eu-west-1:999999999999:secret:meshfl-test-aggregation-token")
    error_message = "The sweeper reads the aggregation function's registry token."
  }
  assert {
    condition = [for st in jsondecode(aws_s3_bucket_policy.federation.policy).Statement : contains(flatten([for op, keys in st.Condition : keys["aws:PrincipalArn"]]), "arn:aws:iam::999999999999:role/meshfl-test-sweeper")
    if contains(["OnlyAggregatorWritesStateAndTmp", "OnlyAggregatorAndGovernanceWriteGlobal"], st.Sid)] == [true, true]
    error_message = "The bucket policy must let the sweeper write global models, state and tmp objects."
  }
  assert {
    condition     = alltrue([for st in jsondecode(aws_s3_bucket_policy.federation.policy).Statement : st.Effect == "Deny" || st.Principal != "*"])
    error_message = "No Allow of the bucket policy may name a wildcard principal."
  }
  assert {
    condition     = jsondecode(aws_iam_role.sweeper.assume_role_policy).Statement[0].Principal == { Service = "lambda.amazonaws.com" }
    error_message = "Only Lambda may assume the sweeper role."
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.sweeper_logs.policy).Statement[0].Resource == ["${aws_cloudwatch_log_group.sweeper.arn}:*"]
    error_message = "The sweeper writes to its own log group."
  }
}

# The sweeper's environment keeps infra/contract/functions.json as the aggregation function's does, and its
# QUARKUS_FUNQY_EXPORT names a function of the package.
run "function_environments" {
  command = plan
}

run "sweeper_environment_keeps_the_contract" {
  command = plan
  module {
    source = "../../contract-check"
  }
  variables {
    function    = "aggregation"
    export      = run.function_environments.functions_exports.sweeper
    environment = { for n in run.function_environments.sweeper_environment_names : n => "value" }
  }
  assert {
    condition     = output.problems == ""
    error_message = "The sweeper Lambda's environment breaks the contract: ${output.problems}."
  }
  assert {
    condition     = var.export == "sweep"
    error_message = "The sweeper Lambda must export sweep, not ${var.export}."
  }
}

run "aggregation_export_is_a_function_of_the_package" {
  command = plan
  module {
    source = "../../contract-check"
  }
  variables {
    function    = "aggregation"
    export      = run.function_environments.functions_exports.aggregation
    environment = { for n in run.function_environments.aggregation_environment_names : n => "value" }
  }
  assert {
    condition     = output.problems == "" && var.export == "aggregate"
    error_message = "The aggregation Lambda's export breaks the contract: ${output.problems}."
  }
}
