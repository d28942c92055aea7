# Scoring of vertical models (vertical_scoring.tf): the contract's scoring requests are in
# training.vertical_object_access and evaluated by vertical.tftest.hcl with the training ones (a party of fraud, the
# governance head of fraud, finance as churn's head); here the refusals. A party reads no other party's scoring
# embeddings, no refusal but its own, no scores and no scoring outcome, and writes nothing but its own answer, and
# only for the models it is a party of; the head of a model writes no party's answer and no request, and nothing of
# another model (whatever its identity policy says, for a model whose heads are known); a domain outside vertical
# models gets none of it; nobody but the governance principals writes a request.

variables {
  federation_bucket_name = "meshfl-fed"
  domains = {
    retail = {
      data_bucket_name  = "retail-data"
      training_role_arn = "arn:aws:iam::111111111111:role/meshfl-retail-training"
      vertical          = ["fraud"]
    }
    finance = {
      data_bucket_name  = "finance-data"
      training_role_arn = "arn:aws:iam::222222222222:role/meshfl-finance-training"
      vertical          = ["fraud"]
      vertical_head     = ["churn"]
    }
    logistics = {
      data_bucket_name  = "logistics-data"
      training_role_arn = "arn:aws:iam::333333333333:role/meshfl-logistics-training"
    }
  }
  aggregation_role_arn      = "arn:aws:iam::999999999999:role/meshfl-aggregation"
  vertical_head_role_arn    = "arn:aws:iam::999999999999:role/meshfl-vertical-head"
  vertical_head_models      = ["fraud"]
  governance_principal_arns = ["arn:aws:iam::999999999999:role/meshfl-governance"]
}

run "documents" {
  command = plan
}

run "a_party_is_refused_the_other_parties_answers_and_the_scores" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.domain_training_policies["retail"], run.documents.federation_bucket_policy]
    requests = { for name, r in {
      "get finance's scoring embeddings" = ["s3:GetObject", "models/fraud/scorings/s-1/embeddings/finance.safetensors"]
      "put finance's scoring embeddings" = ["s3:PutObject", "models/fraud/scorings/s-1/embeddings/finance.safetensors"]
      "get finance's refusal"            = ["s3:GetObject", "models/fraud/scorings/s-1/refusals/finance.json"]
      "put finance's refusal"            = ["s3:PutObject", "models/fraud/scorings/s-1/refusals/finance.json"]
      "get the scores"                   = ["s3:GetObject", "models/fraud/scorings/s-1/scores.safetensors"]
      "put the scores"                   = ["s3:PutObject", "models/fraud/scorings/s-1/scores.safetensors"]
      "get the scoring outcome"          = ["s3:GetObject", "models/fraud/scorings/s-1/outcome.json"]
      "put the scoring outcome"          = ["s3:PutObject", "models/fraud/scorings/s-1/outcome.json"]
      "put a request"                    = ["s3:PutObject", "models/fraud/scorings/s-2/request.json"]
      "get churn's request"              = ["s3:GetObject", "models/churn/scorings/s-1/request.json"]
      "put its churn scoring embeddings" = ["s3:PutObject", "models/churn/scorings/s-1/embeddings/retail.safetensors"]
      "put its churn refusal"            = ["s3:PutObject", "models/churn/scorings/s-1/refusals/retail.json"]
      } : name => {
      action        = r[0]
      resource      = "arn:aws:s3:::meshfl-fed/${r[1]}"
      principal_arn = "arn:aws:iam::111111111111:role/meshfl-retail-training"
      context       = { "aws:PrincipalArn" = "arn:aws:iam::111111111111:role/meshfl-retail-training", "aws:SecureTransport" = "true" }
    } }
  }
  assert {
    condition     = !anytrue(values(output.allowed))
    error_message = "A party is allowed: ${jsonencode([for r, ok in output.allowed : r if ok])}."
  }
}

run "the_head_is_refused_the_parties_answers_and_the_request" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.vertical_head_policy, run.documents.federation_bucket_policy]
    requests = { for name, r in {
      "put scoring embeddings" = ["s3:PutObject", "models/fraud/scorings/s-1/embeddings/retail.safetensors"]
      "put a refusal"          = ["s3:PutObject", "models/fraud/scorings/s-1/refusals/retail.json"]
      "put a request"          = ["s3:PutObject", "models/fraud/scorings/s-1/request.json"]
      "read a party's state"   = ["s3:GetObject", "domains/retail/vertical/fraud/vrounds/3/bottom/2.safetensors"]
      "get churn's request"    = ["s3:GetObject", "models/churn/scorings/s-1/request.json"]
      "get churn's embeddings" = ["s3:GetObject", "models/churn/scorings/s-1/embeddings/finance.safetensors"]
      "put churn's scores"     = ["s3:PutObject", "models/churn/scorings/s-1/scores.safetensors"]
      "put churn's outcome"    = ["s3:PutObject", "models/churn/scorings/s-1/outcome.json"]
      } : name => {
      action        = r[0]
      resource      = "arn:aws:s3:::meshfl-fed/${r[1]}"
      principal_arn = "arn:aws:iam::999999999999:role/meshfl-vertical-head"
      context       = { "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-vertical-head", "aws:SecureTransport" = "true" }
    } }
  }
  assert {
    condition     = !anytrue(values(output.allowed))
    error_message = "Allowed: ${jsonencode([for r, ok in output.allowed : r if ok])}."
  }
}

run "a_domain_outside_vertical_models_gets_no_scoring_object" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.domain_training_policies["logistics"], run.documents.federation_bucket_policy]
    requests = { for name, r in {
      "read a request"         = ["s3:GetObject", "models/fraud/scorings/s-1/request.json"]
      "put scoring embeddings" = ["s3:PutObject", "models/fraud/scorings/s-1/embeddings/logistics.safetensors"]
      "read scores"            = ["s3:GetObject", "models/fraud/scorings/s-1/scores.safetensors"]
      } : name => {
      action        = r[0]
      resource      = "arn:aws:s3:::meshfl-fed/${r[1]}"
      principal_arn = "arn:aws:iam::333333333333:role/meshfl-logistics-training"
      context       = { "aws:PrincipalArn" = "arn:aws:iam::333333333333:role/meshfl-logistics-training", "aws:SecureTransport" = "true" }
    } }
  }
  assert {
    condition     = !anytrue(values(output.allowed))
    error_message = "Allowed: ${jsonencode([for r, ok in output.allowed : r if ok])}."
  }
}

run "the_head_of_one_model_is_refused_the_scorings_of_another" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    # finance heads churn and is a party of fraud: it answers fraud's scorings, it does not score them.
    policies = [run.documents.domain_training_policies["finance"], run.documents.federation_bucket_policy]
    requests = { for name, r in {
      "get retail's fraud scoring embeddings" = ["s3:GetObject", "models/fraud/scorings/s-1/embeddings/retail.safetensors"]
      "get retail's fraud refusal"            = ["s3:GetObject", "models/fraud/scorings/s-1/refusals/retail.json"]
      "put fraud's scores"                    = ["s3:PutObject", "models/fraud/scorings/s-1/scores.safetensors"]
      "put fraud's scoring outcome"           = ["s3:PutObject", "models/fraud/scorings/s-1/outcome.json"]
      "get fraud's scores"                    = ["s3:GetObject", "models/fraud/scorings/s-1/scores.safetensors"]
      } : name => {
      action        = r[0]
      resource      = "arn:aws:s3:::meshfl-fed/${r[1]}"
      principal_arn = "arn:aws:iam::222222222222:role/meshfl-finance-training"
      context       = { "aws:PrincipalArn" = "arn:aws:iam::222222222222:role/meshfl-finance-training", "aws:SecureTransport" = "true" }
    } }
  }
  assert {
    condition     = !anytrue(values(output.allowed))
    error_message = "churn's head reaches fraud's scorings: ${jsonencode([for r, ok in output.allowed : r if ok])}."
  }
}

run "the_bucket_policy_lets_only_a_models_own_heads_write_its_scores" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    # Identity policies that allow everything: only the bucket policy decides.
    policies = [jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] }), run.documents.federation_bucket_policy]
    requests = { for name, r in {
      "an administrator writes fraud's scores"              = ["arn:aws:iam::999999999999:role/admin", "s3:PutObject", "models/fraud/scorings/s-1/scores.safetensors"]
      "finance (churn's head) writes fraud's scores"        = ["arn:aws:iam::222222222222:role/meshfl-finance-training", "s3:PutObject", "models/fraud/scorings/s-1/scores.safetensors"]
      "finance (churn's head) writes fraud's outcome"       = ["arn:aws:iam::222222222222:role/meshfl-finance-training", "s3:PutObject", "models/fraud/scorings/s-1/outcome.json"]
      "the governance head writes churn's scores"           = ["arn:aws:iam::999999999999:role/meshfl-vertical-head", "s3:PutObject", "models/churn/scorings/s-1/scores.safetensors"]
      "the governance head deletes churn's scoring outcome" = ["arn:aws:iam::999999999999:role/meshfl-vertical-head", "s3:DeleteObject", "models/churn/scorings/s-1/outcome.json"]
      "the governance head answers as retail"               = ["arn:aws:iam::999999999999:role/meshfl-vertical-head", "s3:PutObject", "models/fraud/scorings/s-1/embeddings/retail.safetensors"]
      "the governance head writes fraud's scores"           = ["arn:aws:iam::999999999999:role/meshfl-vertical-head", "s3:PutObject", "models/fraud/scorings/s-1/scores.safetensors"]
      "finance writes churn's scoring outcome"              = ["arn:aws:iam::222222222222:role/meshfl-finance-training", "s3:PutObject", "models/churn/scorings/s-1/outcome.json"]
      "retail answers fraud's scoring"                      = ["arn:aws:iam::111111111111:role/meshfl-retail-training", "s3:PutObject", "models/fraud/scorings/s-1/embeddings/retail.safetensors"]
      } : name => {
      action        = r[1]
      resource      = "arn:aws:s3:::meshfl-fed/${r[2]}"
      principal_arn = r[0]
      context       = { "aws:PrincipalArn" = r[0], "aws:SecureTransport" = "true" }
    } }
  }
  assert {
    condition = alltrue([for name, r in {
      "an administrator writes fraud's scores"              = false
      "finance (churn's head) writes fraud's scores"        = false
      "finance (churn's head) writes fraud's outcome"       = false
      "the governance head writes churn's scores"           = false
      "the governance head deletes churn's scoring outcome" = false
      "the governance head answers as retail"               = false
      "the governance head writes fraud's scores"           = true
      "finance writes churn's scoring outcome"              = true
      "retail answers fraud's scoring"                      = true
    } : output.allowed[name] == r])
    error_message = "Expected only each model's own head (and a party its own answer): ${jsonencode(output.allowed)}."
  }
}

run "only_the_governance_principals_write_a_request" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    # The bucket policy's Denies alone: an administrator allowed everything by its own policy is still refused.
    policies = [jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] }),
    jsonencode({ Version = "2012-10-17", Statement = [for st in jsondecode(run.documents.federation_bucket_policy).Statement : st if st.Effect == "Deny"] })]
    requests = {
      "governance" = {
        action        = "s3:PutObject"
        resource      = "arn:aws:s3:::meshfl-fed/models/fraud/scorings/s-1/request.json"
        principal_arn = "arn:aws:iam::999999999999:role/meshfl-governance"
        context       = { "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-governance", "aws:SecureTransport" = "true" }
      }
      "another administrator" = {
        action        = "s3:PutObject"
        resource      = "arn:aws:s3:::meshfl-fed/models/fraud/scorings/s-1/request.json"
        principal_arn = "arn:aws:iam::999999999999:role/someone-else"
        context       = { "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/someone-else", "aws:SecureTransport" = "true" }
      }
    }
  }
  assert {
    condition     = output.allowed["governance"] && !output.allowed["another administrator"]
    error_message = "Expected only the governance principal to write a request: ${jsonencode(output.allowed)}."
  }
}

run "knative_on_s3_notifies_each_vertical_models_scorings_too" {
  command = plan
  variables {
    update_queue_arn = "arn:aws:sqs:eu-west-1:999999999999:meshfl-updates"
    vertical_models  = ["fraud"]
  }
  assert {
    condition = contains(jsondecode(output.s3_notification_configuration).QueueConfigurations, {
      Id       = "meshfl-vertical-scoring-fraud"
      QueueArn = "arn:aws:sqs:eu-west-1:999999999999:meshfl-updates"
      Events   = ["s3:ObjectCreated:*"]
      Filter   = { Key = { FilterRules = [{ Name = "prefix", Value = "models/fraud/scorings/" }] } }
    })
    error_message = "No notification for models/fraud/scorings/: ${output.s3_notification_configuration}."
  }
}
