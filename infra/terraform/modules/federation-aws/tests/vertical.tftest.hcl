# Vertical models (issue 16) on AWS: one EventBridge rule per vertical party and one for the governance-side head,
# whose `wildcard` key patterns send each function exactly its keys; the head is the training image exporting
# `vertical` within the training package's contract, under policies' vertical_head_policy. Mocked AWS as in
# federation_aws.tftest.hcl.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name                   = "meshfl-test"
  federation_bucket_name = "meshfl-test-federation"
  domains = {
    retail  = "arn:aws:iam::111111111111:role/meshfl-test-retail-training"
    finance = "arn:aws:iam::222222222222:role/meshfl-test-finance-training"
  }
  vertical_domains = {
    retail  = { queue_arn = "arn:aws:sqs:eu-west-1:111111111111:meshfl-test-retail-vertical", models = ["fraud"] }
    finance = { queue_arn = "arn:aws:sqs:eu-west-1:222222222222:meshfl-test-finance-vertical", models = ["fraud"] }
  }
  vertical_head = {
    image_uri                 = "999999999999.dkr.ecr.eu-west-1.amazonaws.com/meshfl-training-function:0.1.0"
    models                    = ["fraud"]
    signing_key_secret_arn    = "arn:aws:secretsmanager:eu-west-1:999999999999:secret:meshfl-test-head-signing-key"
    registry_token_secret_arn = "arn:aws:secretsmanager:eu-west-1:999999999999:secret:meshfl-test-head-token"
  }
  aggregation_zip_path                  = "tests/fixtures/function.zip"
  registry_zip_path                     = "tests/fixtures/function.zip"
  aggregation_registry_token_secret_arn = "arn:aws:secretsmanager:eu-west-1:999999999999:secret:meshfl-test-aggregation-token"
  jwt_issuer                            = "https://governance.example.org"
  jwt_public_key                        = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----"
  vpc_id                                = "vpc-0123abcd"
  private_subnet_ids                    = ["subnet-0a", "subnet-0b"]
}

run "vertical" {
  assert {
    condition     = aws_cloudwatch_event_target.vertical_party["retail"].arn == "arn:aws:sqs:eu-west-1:111111111111:meshfl-test-retail-vertical" && output.vertical_event_rule_arns["retail"] == "arn:aws:events:eu-west-1:999999999999:rule/meshfl-test-vertical-retail"
    error_message = "retail's rule feeds retail's queue, and its ARN is the one the domain's queue policy admits."
  }
  assert {
    condition     = aws_cloudwatch_event_target.vertical_head[0].input_transformer[0].input_template == aws_cloudwatch_event_target.updates[0].input_transformer[0].input_template
    error_message = "Vertical events reach the functions as the same S3 notifications as updates."
  }
  assert {
    condition     = aws_lambda_function.vertical_head[0].environment[0].variables["QUARKUS_FUNQY_EXPORT"] == "vertical" && aws_lambda_function.vertical_head[0].environment[0].variables["MESHFL_TRAINING_DOMAIN"] == "governance"
    error_message = "The head is the training package's vertical function acting for the governance."
  }
  assert {
    condition     = aws_iam_role_policy.vertical_head[0].policy == module.policies.vertical_head_policy
    error_message = "The head's role has policies' vertical_head_policy."
  }
  assert {
    condition     = jsondecode(aws_sqs_queue_policy.vertical_head[0].policy).Statement[0].Condition.ArnEquals["aws:SourceArn"] == ["arn:aws:events:eu-west-1:999999999999:rule/meshfl-test-vertical-head", "arn:aws:events:eu-west-1:999999999999:rule/meshfl-test-rounds/meshfl-test-vertical-head-round-opened"]
    error_message = "The head's queue admits only the head's rule."
  }
  assert {
    condition     = length([for s in jsondecode(module.policies.federation_bucket_policy).Statement : s if s.Sid == "OnlyHeadsWriteGradientsHeadStateAndOutcomes"]) == 1
    error_message = "The bucket policy lets only the head write gradients, head states and outcomes."
  }
  assert {
    condition = [for s in jsondecode(module.policies.federation_bucket_policy).Statement : s.Condition.ArnNotEquals["aws:PrincipalArn"]
    if startswith(s.Sid, "OnlyItsHeadsWriteVerticalModel") && contains(s.Resource, "arn:aws:s3:::meshfl-test-federation/models/fraud/vrounds/*/outcome.json")] == [["arn:aws:iam::999999999999:role/meshfl-test-vertical-head"]]
    error_message = "fraud's head objects are written by the governance-side head only: it is the model whose labels are shared (vertical_head.models)."
  }
  # Rounds start from the registry: its opened rounds of the head's models, on the round events bus, to the head.
  assert {
    condition = (jsondecode(aws_cloudwatch_event_rule.vertical_head_round_opened[0].event_pattern) == { source = ["meshfl.registry"], "detail-type" = ["meshfl.vround.opened"], detail = { model = ["fraud"] } }
      && aws_cloudwatch_event_rule.vertical_head_round_opened[0].event_bus_name == aws_cloudwatch_event_bus.rounds.name
    && aws_cloudwatch_event_target.vertical_head_round_opened[0].arn == aws_sqs_queue.vertical_head[0].arn)
    error_message = "The registry's meshfl.vround.opened of the head's models is queued to the head."
  }
  # The deadline sweep: a schedule invokes the head with the input its `vertical` function takes as a sweep.
  assert {
    condition = (aws_scheduler_schedule.vertical_sweep[0].target[0].arn == aws_lambda_function.vertical_head[0].arn
      && jsondecode(aws_scheduler_schedule.vertical_sweep[0].target[0].input) == { sweep = "vertical-rounds" }
      && aws_scheduler_schedule.vertical_sweep[0].schedule_expression == "rate(1 minute)"
    && aws_scheduler_schedule.vertical_sweep[0].flexible_time_window[0].mode == "OFF")
    error_message = "Every minute, on time, the schedule sends the head {\"sweep\": \"vertical-rounds\"}."
  }
  assert {
    condition = (aws_scheduler_schedule.vertical_sweep[0].target[0].role_arn == aws_iam_role.vertical_sweep_scheduler[0].arn
      && jsondecode(aws_iam_role_policy.vertical_sweep_scheduler[0].policy).Statement == [{
        Effect = "Allow", Action = ["lambda:InvokeFunction"], Resource = [aws_lambda_function.vertical_head[0].arn]
    }])
    error_message = "The vertical sweep's scheduler role may invoke the head's Lambda and nothing else."
  }
  assert {
    condition = (jsondecode(aws_iam_role.vertical_sweep_scheduler[0].assume_role_policy).Statement[0].Principal == { Service = "scheduler.amazonaws.com" }
    && jsondecode(aws_iam_role.vertical_sweep_scheduler[0].assume_role_policy).Statement[0].Condition.ArnEquals["aws:SourceArn"] == "arn:aws:scheduler:eu-west-1:999999999999:schedule/default/meshfl-test-vertical-sweep")
    error_message = "Only the vertical sweep schedule may use its scheduler role."
  }
  assert {
    condition     = aws_scheduler_schedule.vertical_sweep[0].target[0].retry_policy[0].maximum_retry_attempts == 0 && aws_lambda_function_event_invoke_config.vertical_head[0].maximum_retry_attempts == 0
    error_message = "A failed or late sweep is not retried: the next one does the same work."
  }
}

run "each_rule_selects_its_keys" {
  command = plan
  module {
    source = "../policies/tests/evaluator"
  }
  variables {
    policies = []
    requests = {}
    keys = { for e in flatten([
      for rule, ks in {
        retail = {
          "retail: session"               = "models/fraud/vrounds/psi/psi-1/session.json"
          "retail: a blinded set"         = "models/fraud/vrounds/psi/psi-1/sets/finance/1/finance.points"
          "retail: round settings"        = "models/fraud/vrounds/3/round.json"
          "retail: its gradient"          = "models/fraud/vrounds/3/steps/0/gradients/retail.safetensors"
          "not retail: finance gradient"  = "models/fraud/vrounds/3/steps/0/gradients/finance.safetensors"
          "not retail: embeddings"        = "models/fraud/vrounds/3/steps/0/embeddings/retail.safetensors"
          "not retail: an update"         = "models/fraud/rounds/3/updates/retail.safetensors"
          "not retail: the shared labels" = "models/fraud/vrounds/psi/psi-1/labels/retail.labels.json"
          # Scoring (policies' vertical_scoring.tf): a request to every party, the answers to the head.
          "retail: a scoring request"       = "models/fraud/scorings/s-1/request.json"
          "not retail: scoring embeddings"  = "models/fraud/scorings/s-1/embeddings/retail.safetensors"
          "not retail: the scores"          = "models/fraud/scorings/s-1/scores.safetensors"
          "not retail: the scoring outcome" = "models/fraud/scorings/s-1/outcome.json"
        }
        head = {
          "head: embeddings"            = "models/fraud/vrounds/3/steps/0/embeddings/retail.safetensors"
          "head: its state"             = "models/fraud/vrounds/3/head/1.safetensors"
          "head: round settings"        = "models/fraud/vrounds/3/round.json"
          "not head: a gradient"        = "models/fraud/vrounds/3/steps/0/gradients/retail.safetensors"
          "not head: a blinded set"     = "models/fraud/vrounds/psi/psi-1/sets/finance/1/finance.points"
          "not head: a party's bottom"  = "domains/retail/vertical/fraud/vrounds/3/bottom/1.safetensors"
          "head: scoring embeddings"    = "models/fraud/scorings/s-1/embeddings/retail.safetensors"
          "head: a party's refusal"     = "models/fraud/scorings/s-1/refusals/finance.json"
          "not head: a scoring request" = "models/fraud/scorings/s-1/request.json"
          "not head: its own scores"    = "models/fraud/scorings/s-1/scores.safetensors"
          "not head: its own outcome"   = "models/fraud/scorings/s-1/outcome.json"
        }
        } : [for name, k in ks : [
          for i, p in jsondecode(run.vertical.vertical_event_patterns[rule]).detail.object.key : { name = "${name} [${i}]", wildcard = p.wildcard, key = k }
      ]]
    ]) : e.name => { wildcard = e.wildcard, key = e.key } }
  }
  assert {
    condition = alltrue([for name in distinct([for n, _ in output.key_matches : split(" [", n)[0]]) :
      anytrue([for n, m in output.key_matches : m if split(" [", n)[0] == name]) == !startswith(name, "not ")
    ])
    error_message = "A rule sends a key to the wrong function: ${jsonencode({ for name in distinct([for n, _ in output.key_matches : split(" [", n)[0]]) : name => anytrue([for n, m in output.key_matches : m if split(" [", n)[0] == name]) })}."
  }
}

run "head_environment_keeps_the_training_contract" {
  command = plan
  module {
    source = "../../contract-check"
  }
  variables {
    function    = "training"
    export      = run.vertical.vertical_head_export
    environment = { for n in run.vertical.vertical_head_environment_names : n => "value" }
  }
  assert {
    condition     = output.problems == "" && var.export == "vertical"
    error_message = "The head Lambda's environment breaks the contract: ${output.problems}."
  }
}
