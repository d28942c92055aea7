# Scoring of vertical models on AWS (policies' vertical_scoring.tf): the parties' rules select scoring requests, the
# head's rule the parties' answers (embeddings, refusals); nobody is triggered by scores or outcomes. Mocked AWS as in
# vertical.tftest.hcl.

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
    retail  = { queue_arn = "arn:aws:sqs:eu-west-1:111111111111:meshfl-test-retail-vertical" }
    finance = { queue_arn = "arn:aws:sqs:eu-west-1:222222222222:meshfl-test-finance-vertical" }
  }
  vertical_head = {
    image_uri                 = "999999999999.dkr.ecr.eu-west-1.amazonaws.com/meshfl-training-function:0.1.0"
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
}

run "each_rule_selects_its_scoring_keys" {
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
          "retail: a scoring request"        = "models/fraud/scorings/s-1/request.json"
          "not retail: a party's embeddings" = "models/fraud/scorings/s-1/embeddings/finance.safetensors"
          "not retail: its own embeddings"   = "models/fraud/scorings/s-1/embeddings/retail.safetensors"
          "not retail: the scores"           = "models/fraud/scorings/s-1/scores.safetensors"
          "not retail: the scoring outcome"  = "models/fraud/scorings/s-1/outcome.json"
        }
        head = {
          "head: a party's scoring embeddings" = "models/fraud/scorings/s-1/embeddings/retail.safetensors"
          "head: a party's refusal"            = "models/fraud/scorings/s-1/refusals/finance.json"
          "not head: a scoring request"        = "models/fraud/scorings/s-1/request.json"
          "not head: its own scores"           = "models/fraud/scorings/s-1/scores.safetensors"
          "not head: its own outcome"          = "models/fraud/scorings/s-1/outcome.json"
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
    error_message = "A rule sends a scoring key to the wrong function: ${jsonencode({ for name in distinct([for n, _ in output.key_matches : split(" [", n)[0]]) : name => anytrue([for n, m in output.key_matches : m if split(" [", n)[0] == name]) })}."
  }
}
