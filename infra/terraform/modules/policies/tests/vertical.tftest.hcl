# Vertical models (training-function's `vertical` export): every object request the contract lists for a party
# (infra/contract/functions.json, training.vertical_object_access.party) is allowed by a vertical domain's policy,
# every head request by vertical_head_policy, and what the README's IAM paragraph forbids is refused: a domain
# writing another domain's embeddings or blinded sets, reading another's gradients or the shared labels, writing
# gradients; the head writing embeddings; a domain that takes no part in vertical models touching any of it.

variables {
  federation_bucket_name = "meshfl-fed"
  domains = {
    retail = {
      data_bucket_name  = "retail-data"
      training_role_arn = "arn:aws:iam::111111111111:role/meshfl-retail-training"
      vertical          = true
    }
    finance = {
      data_bucket_name  = "finance-data"
      training_role_arn = "arn:aws:iam::222222222222:role/meshfl-finance-training"
      vertical_head     = true
    }
    logistics = {
      data_bucket_name  = "logistics-data"
      training_role_arn = "arn:aws:iam::333333333333:role/meshfl-logistics-training"
    }
  }
  aggregation_role_arn      = "arn:aws:iam::999999999999:role/meshfl-aggregation"
  vertical_head_role_arn    = "arn:aws:iam::999999999999:role/meshfl-vertical-head"
  governance_principal_arns = ["arn:aws:iam::999999999999:role/meshfl-governance"]
}

run "documents" {
  command = plan
}

run "a_vertical_domain_may_make_every_party_request" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.domain_training_policies["retail"], jsonencode({ Version = "2012-10-17", Statement = [for st in jsondecode(run.documents.federation_bucket_policy).Statement : st if st.Effect == "Deny"] })]
    requests = { for a in jsondecode(file("../../../contract/functions.json")).functions.training.vertical_object_access.party :
      "${a.action} ${a.key}" => {
        action        = a.action
        resource      = "arn:aws:s3:::meshfl-fed/${replace(replace(replace(replace(replace(replace(replace(replace(a.key, "{model}", "fraud"), "{round}", "3"), "{domain}", "retail"), "{session}", "psi-1"), "{party}", "finance"), "{step}", "2"), "{writer}", "finance"), "{window}", "0")}"
        principal_arn = "arn:aws:iam::111111111111:role/meshfl-retail-training"
        context       = { "aws:PrincipalArn" = "arn:aws:iam::111111111111:role/meshfl-retail-training", "aws:SecureTransport" = "true" }
      }
    }
  }
  assert {
    condition     = alltrue(values(output.allowed))
    error_message = "A vertical domain's policy refuses: ${jsonencode([for r, ok in output.allowed : r if !ok])}."
  }
}

run "the_bucket_policy_admits_every_party_request_from_another_account" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.federation_bucket_policy, jsonencode({ Version = "2012-10-17", Statement = [for st in jsondecode(run.documents.domain_training_policies["retail"]).Statement : st if st.Effect == "Deny"] })]
    requests = { for a in jsondecode(file("../../../contract/functions.json")).functions.training.vertical_object_access.party :
      "${a.action} ${a.key}" => {
        action        = a.action
        resource      = "arn:aws:s3:::meshfl-fed/${replace(replace(replace(replace(replace(replace(replace(replace(a.key, "{model}", "fraud"), "{round}", "3"), "{domain}", "retail"), "{session}", "psi-1"), "{party}", "finance"), "{step}", "2"), "{writer}", "finance"), "{window}", "0")}"
        principal_arn = "arn:aws:iam::111111111111:role/meshfl-retail-training"
        context       = { "aws:PrincipalArn" = "arn:aws:iam::111111111111:role/meshfl-retail-training", "aws:SecureTransport" = "true" }
      } if !startswith(a.key, "domains/")
    }
  }
  assert {
    condition     = alltrue(values(output.allowed))
    error_message = "The bucket policy refuses a vertical domain: ${jsonencode([for r, ok in output.allowed : r if !ok])}."
  }
}

run "the_governance_head_may_make_every_head_request" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.vertical_head_policy, jsonencode({ Version = "2012-10-17", Statement = [for st in jsondecode(run.documents.federation_bucket_policy).Statement : st if st.Effect == "Deny"] })]
    requests = { for a in jsondecode(file("../../../contract/functions.json")).functions.training.vertical_object_access.head :
      "${a.action} ${coalesce(a.key, try(a.prefix, null), "(bucket)")}" => {
        action        = a.action
        resource      = a.key == null ? "arn:aws:s3:::meshfl-fed" : "arn:aws:s3:::meshfl-fed/${replace(replace(replace(replace(replace(a.key, "{model}", "fraud"), "{round}", "3"), "{session}", "psi-1"), "{party}", "finance"), "{window}", "0")}"
        principal_arn = "arn:aws:iam::999999999999:role/meshfl-vertical-head"
        context = merge({ "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-vertical-head", "aws:SecureTransport" = "true" },
        try(a.prefix, null) == null ? {} : { "s3:prefix" = replace(replace(replace(a.prefix, "{model}", "fraud"), "{round}", "3"), "{window}", "0") })
      }
    }
  }
  assert {
    condition     = alltrue(values(output.allowed))
    error_message = "The vertical head's policy refuses: ${jsonencode([for r, ok in output.allowed : r if !ok])}."
  }
}

run "a_domain_owning_the_head_may_make_every_head_request_on_its_own_space" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.domain_training_policies["finance"], jsonencode({ Version = "2012-10-17", Statement = [for st in jsondecode(run.documents.federation_bucket_policy).Statement : st if st.Effect == "Deny"] })]
    requests = { for a in jsondecode(file("../../../contract/functions.json")).functions.training.vertical_object_access.head :
      "${a.action} ${coalesce(a.key, try(a.prefix, null), "(bucket)")}" => {
        action = a.action
        # Its head state is in its own space, not under models/*/vrounds/*/head/.
        resource      = a.key == null ? "arn:aws:s3:::meshfl-fed" : "arn:aws:s3:::meshfl-fed/${replace(replace(replace(replace(replace(replace(a.key, "models/{model}/vrounds/{round}/head/", "domains/finance/vertical/fraud/vrounds/3/head/"), "{model}", "fraud"), "{round}", "3"), "{session}", "psi-1"), "{party}", "retail"), "{window}", "0")}"
        principal_arn = "arn:aws:iam::222222222222:role/meshfl-finance-training"
        context = merge({ "aws:PrincipalArn" = "arn:aws:iam::222222222222:role/meshfl-finance-training", "aws:SecureTransport" = "true" },
        try(a.prefix, null) == null ? {} : { "s3:prefix" = replace(replace(replace(a.prefix, "{model}", "fraud"), "{round}", "3"), "{window}", "0") })
      }
    }
  }
  assert {
    condition     = alltrue(values(output.allowed))
    error_message = "A head-owning domain's policy refuses: ${jsonencode([for r, ok in output.allowed : r if !ok])}."
  }
}

run "retail_is_refused_what_belongs_to_other_parties_and_to_the_head" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.domain_training_policies["retail"], run.documents.federation_bucket_policy]
    requests = { for name, r in {
      "put finance's embeddings"           = ["s3:PutObject", "models/fraud/vrounds/3/steps/0/embeddings/finance.safetensors"]
      "get finance's gradient"             = ["s3:GetObject", "models/fraud/vrounds/3/steps/0/gradients/finance.safetensors"]
      "get finance's embeddings"           = ["s3:GetObject", "models/fraud/vrounds/3/steps/0/embeddings/finance.safetensors"]
      "put a gradient"                     = ["s3:PutObject", "models/fraud/vrounds/3/steps/0/gradients/retail.safetensors"]
      "put a set naming finance as writer" = ["s3:PutObject", "models/fraud/vrounds/psi/psi-1/sets/retail/2/finance.points"]
      "get the shared labels"              = ["s3:GetObject", "models/fraud/vrounds/psi/psi-1/labels/finance.labels.json"]
      "put labels under finance's name"    = ["s3:PutObject", "models/fraud/vrounds/psi/psi-1/labels/finance.labels.json"]
      "get finance's PSI scalar"           = ["s3:GetObject", "domains/finance/vertical/fraud/psi/psi-1/blinding-key"]
      "put the round settings"             = ["s3:PutObject", "models/fraud/vrounds/3/round.json"]
      "put the head state"                 = ["s3:PutObject", "models/fraud/vrounds/3/head/1.safetensors"]
      "put the outcome"                    = ["s3:PutObject", "models/fraud/vrounds/3/outcome.json"]
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

run "the_head_is_refused_the_parties_objects" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.vertical_head_policy, run.documents.federation_bucket_policy]
    requests = { for name, r in {
      "put embeddings"           = ["s3:PutObject", "models/fraud/vrounds/3/steps/0/embeddings/retail.safetensors"]
      "put a blinded set"        = ["s3:PutObject", "models/fraud/vrounds/psi/psi-1/sets/retail/1/retail.points"]
      "read a party's own space" = ["s3:GetObject", "domains/retail/vertical/fraud/psi/psi-1/alignment.json"]
      "declare a round"          = ["s3:PutObject", "models/fraud/vrounds/4/round.json"]
      "write an update"          = ["s3:PutObject", "models/fraud/rounds/3/updates/retail.safetensors"]
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

run "a_domain_outside_vertical_models_gets_none_of_their_objects" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.domain_training_policies["logistics"], run.documents.federation_bucket_policy]
    requests = { for name, r in {
      "put embeddings"      = ["s3:PutObject", "models/fraud/vrounds/3/steps/0/embeddings/logistics.safetensors"]
      "read a gradient"     = ["s3:GetObject", "models/fraud/vrounds/3/steps/0/gradients/logistics.safetensors"]
      "read a blinded set"  = ["s3:GetObject", "models/fraud/vrounds/psi/psi-1/sets/retail/1/retail.points"]
      "read round settings" = ["s3:GetObject", "models/fraud/vrounds/3/round.json"]
      "put a vertical file" = ["s3:PutObject", "domains/logistics/vertical/fraud/psi/psi-1/alignment.json"]
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
