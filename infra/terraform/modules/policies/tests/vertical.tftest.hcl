# Vertical models (training-function's `vertical` export): every object request the contract lists for a party
# (infra/contract/functions.json, training.vertical_object_access.party) is allowed by a vertical domain's policy,
# every head request by vertical_head_policy, and what the README's IAM paragraph forbids is refused: a domain
# writing another domain's embeddings or blinded sets, reading another's gradients or the shared labels, writing
# gradients; the head writing embeddings; a domain that takes no part in vertical models touching any of it. Every
# role is confined to its models: the head of one model (churn, finance's) reaches no head object of another (fraud,
# the governance side's), a party reads nothing of a model it is not in, and the bucket policy keeps even the bucket
# account's administrators away from a domain's PSI scalar.

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
        resource      = "arn:aws:s3:::meshfl-fed/${replace(replace(replace(replace(replace(replace(replace(replace(replace(a.key, "{scoring}", "s-1"), "{model}", "fraud"), "{round}", "3"), "{domain}", "retail"), "{session}", "psi-1"), "{party}", "finance"), "{step}", "2"), "{writer}", "finance"), "{window}", "0")}"
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
        resource      = "arn:aws:s3:::meshfl-fed/${replace(replace(replace(replace(replace(replace(replace(replace(replace(a.key, "{scoring}", "s-1"), "{model}", "fraud"), "{round}", "3"), "{domain}", "retail"), "{session}", "psi-1"), "{party}", "finance"), "{step}", "2"), "{writer}", "finance"), "{window}", "0")}"
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
        resource      = a.key == null ? "arn:aws:s3:::meshfl-fed" : "arn:aws:s3:::meshfl-fed/${replace(replace(replace(replace(replace(replace(a.key, "{scoring}", "s-1"), "{model}", "fraud"), "{round}", "3"), "{session}", "psi-1"), "{party}", "finance"), "{window}", "0")}"
        principal_arn = "arn:aws:iam::999999999999:role/meshfl-vertical-head"
        context = merge({ "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-vertical-head", "aws:SecureTransport" = "true" },
        try(a.prefix, null) == null ? {} : { "s3:prefix" = replace(replace(replace(replace(a.prefix, "{scoring}", "s-1"), "{model}", "fraud"), "{round}", "3"), "{window}", "0") })
      }
    }
  }
  assert {
    condition     = alltrue(values(output.allowed))
    error_message = "The vertical head's policy refuses: ${jsonencode([for r, ok in output.allowed : r if !ok])}."
  }
}

run "a_domain_owning_the_head_of_a_model_may_make_every_head_request_of_that_model_on_its_own_space" {
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
        resource      = a.key == null ? "arn:aws:s3:::meshfl-fed" : "arn:aws:s3:::meshfl-fed/${replace(replace(replace(replace(replace(replace(replace(a.key, "{scoring}", "s-1"), "models/{model}/vrounds/{round}/head/", "domains/finance/vertical/churn/vrounds/3/head/"), "{model}", "churn"), "{round}", "3"), "{session}", "psi-1"), "{party}", "retail"), "{window}", "0")}"
        principal_arn = "arn:aws:iam::222222222222:role/meshfl-finance-training"
        context = merge({ "aws:PrincipalArn" = "arn:aws:iam::222222222222:role/meshfl-finance-training", "aws:SecureTransport" = "true" },
        try(a.prefix, null) == null ? {} : { "s3:prefix" = replace(replace(replace(replace(a.prefix, "{scoring}", "s-1"), "{model}", "churn"), "{round}", "3"), "{window}", "0") })
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

run "the_head_of_one_model_is_refused_the_head_objects_of_another" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    # finance heads churn (labels kept), not fraud (labels shared with the governance side).
    policies = [run.documents.domain_training_policies["finance"], run.documents.federation_bucket_policy]
    requests = { for name, r in {
      "get fraud's shared labels"     = ["s3:GetObject", "models/fraud/vrounds/psi/psi-1/labels/retail.labels.json"]
      "get retail's fraud embeddings" = ["s3:GetObject", "models/fraud/vrounds/3/steps/0/embeddings/retail.safetensors"]
      "get retail's fraud gradient"   = ["s3:GetObject", "models/fraud/vrounds/3/steps/0/gradients/retail.safetensors"]
      "put retail's fraud gradient"   = ["s3:PutObject", "models/fraud/vrounds/3/steps/0/gradients/retail.safetensors"]
      "put fraud's outcome"           = ["s3:PutObject", "models/fraud/vrounds/3/outcome.json"]
      "put fraud's head state"        = ["s3:PutObject", "models/fraud/vrounds/3/head/1.safetensors"]
      } : name => {
      action        = r[0]
      resource      = "arn:aws:s3:::meshfl-fed/${r[1]}"
      principal_arn = "arn:aws:iam::222222222222:role/meshfl-finance-training"
      context       = { "aws:PrincipalArn" = "arn:aws:iam::222222222222:role/meshfl-finance-training", "aws:SecureTransport" = "true" }
    } }
  }
  assert {
    condition     = !anytrue(values(output.allowed))
    error_message = "churn's head reaches fraud: ${jsonencode([for r, ok in output.allowed : r if ok])}."
  }
}

run "the_governance_head_is_refused_the_models_whose_labels_it_does_not_hold" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.vertical_head_policy, run.documents.federation_bucket_policy]
    requests = { for name, r in {
      "get churn's labels"     = ["s3:GetObject", "models/churn/vrounds/psi/psi-1/labels/finance.labels.json"]
      "get churn's embeddings" = ["s3:GetObject", "models/churn/vrounds/3/steps/0/embeddings/finance.safetensors"]
      "put churn's gradient"   = ["s3:PutObject", "models/churn/vrounds/3/steps/0/gradients/finance.safetensors"]
      "put churn's outcome"    = ["s3:PutObject", "models/churn/vrounds/3/outcome.json"]
      "put churn's head state" = ["s3:PutObject", "models/churn/vrounds/3/head/1.safetensors"]
      "list churn's window"    = ["s3:ListBucket", ""]
      } : name => {
      action        = r[0]
      resource      = r[1] == "" ? "arn:aws:s3:::meshfl-fed" : "arn:aws:s3:::meshfl-fed/${r[1]}"
      principal_arn = "arn:aws:iam::999999999999:role/meshfl-vertical-head"
      context = merge({ "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-vertical-head", "aws:SecureTransport" = "true" },
      r[1] == "" ? { "s3:prefix" = "models/churn/vrounds/3/steps/0/" } : {})
    } }
  }
  assert {
    condition     = !anytrue(values(output.allowed))
    error_message = "fraud's head reaches churn: ${jsonencode([for r, ok in output.allowed : r if ok])}."
  }
}

run "the_bucket_policy_keeps_every_other_principal_from_a_models_head_writes_and_a_domains_psi_secrets" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    # Principals of the bucket's account whose identity policy allows everything (an administrator, or a head or a
    # domain given a broader policy later): only the bucket policy's Denies stand between them and these keys.
    policies = [jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] }), run.documents.federation_bucket_policy]
    requests = { for name, r in {
      "an administrator gets retail's PSI scalar"      = ["arn:aws:iam::999999999999:role/admin", "s3:GetObject", "domains/retail/vertical/fraud/psi/psi-1/blinding-key"]
      "an administrator plants retail's PSI scalar"    = ["arn:aws:iam::999999999999:role/admin", "s3:PutObject", "domains/retail/vertical/fraud/psi/psi-1/blinding-key"]
      "an administrator gets retail's alignment"       = ["arn:aws:iam::999999999999:role/admin", "s3:GetObject", "domains/retail/vertical/fraud/psi/psi-1/alignment.json"]
      "the governance head gets retail's PSI scalar"   = ["arn:aws:iam::999999999999:role/meshfl-vertical-head", "s3:GetObject", "domains/retail/vertical/fraud/psi/psi-1/blinding-key"]
      "finance gets retail's PSI scalar"               = ["arn:aws:iam::222222222222:role/meshfl-finance-training", "s3:GetObject", "domains/retail/vertical/fraud/psi/psi-1/blinding-key"]
      "an administrator writes fraud's outcome"        = ["arn:aws:iam::999999999999:role/admin", "s3:PutObject", "models/fraud/vrounds/3/outcome.json"]
      "finance (churn's head) writes fraud's outcome"  = ["arn:aws:iam::222222222222:role/meshfl-finance-training", "s3:PutObject", "models/fraud/vrounds/3/outcome.json"]
      "finance (churn's head) writes a fraud gradient" = ["arn:aws:iam::222222222222:role/meshfl-finance-training", "s3:PutObject", "models/fraud/vrounds/3/steps/0/gradients/retail.safetensors"]
      "the governance head writes churn's outcome"     = ["arn:aws:iam::999999999999:role/meshfl-vertical-head", "s3:PutObject", "models/churn/vrounds/3/outcome.json"]
      "the governance head writes a churn gradient"    = ["arn:aws:iam::999999999999:role/meshfl-vertical-head", "s3:PutObject", "models/churn/vrounds/3/steps/0/gradients/finance.safetensors"]
      "the governance head deletes churn's head state" = ["arn:aws:iam::999999999999:role/meshfl-vertical-head", "s3:DeleteObject", "models/churn/vrounds/3/head/1.safetensors"]
      } : name => {
      action        = r[1]
      resource      = "arn:aws:s3:::meshfl-fed/${r[2]}"
      principal_arn = r[0]
      context       = { "aws:PrincipalArn" = r[0], "aws:SecureTransport" = "true" }
    } }
  }
  assert {
    condition     = !anytrue(values(output.allowed))
    error_message = "The bucket policy admits: ${jsonencode([for r, ok in output.allowed : r if ok])}."
  }
}

run "the_psi_secrets_and_head_writes_stay_open_to_their_owner" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    # The same all-allowing identity: the Denies above name the owner as the one exception, not everyone.
    policies = [jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] }), run.documents.federation_bucket_policy]
    requests = { for name, r in {
      "retail gets its PSI scalar"                 = ["arn:aws:iam::111111111111:role/meshfl-retail-training", "s3:GetObject", "domains/retail/vertical/fraud/psi/psi-1/blinding-key"]
      "finance writes churn's outcome"             = ["arn:aws:iam::222222222222:role/meshfl-finance-training", "s3:PutObject", "models/churn/vrounds/3/outcome.json"]
      "the governance head writes fraud's outcome" = ["arn:aws:iam::999999999999:role/meshfl-vertical-head", "s3:PutObject", "models/fraud/vrounds/3/outcome.json"]
      "an administrator reads round settings"      = ["arn:aws:iam::999999999999:role/admin", "s3:GetObject", "models/fraud/vrounds/3/round.json"]
      } : name => {
      action        = r[1]
      resource      = "arn:aws:s3:::meshfl-fed/${r[2]}"
      principal_arn = r[0]
      context       = { "aws:PrincipalArn" = r[0], "aws:SecureTransport" = "true" }
    } }
  }
  assert {
    condition     = alltrue(values(output.allowed))
    error_message = "Refused: ${jsonencode([for r, ok in output.allowed : r if !ok])}."
  }
}

run "a_party_reads_nothing_of_a_model_it_is_not_in" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.domain_training_policies["retail"], run.documents.federation_bucket_policy]
    requests = { for name, r in {
      "get churn's PSI session"    = ["s3:GetObject", "models/churn/vrounds/psi/psi-1/session.json"]
      "get churn's blinded sets"   = ["s3:GetObject", "models/churn/vrounds/psi/psi-1/sets/finance/1/finance.points"]
      "get churn's round settings" = ["s3:GetObject", "models/churn/vrounds/3/round.json"]
      "get churn's outcome"        = ["s3:GetObject", "models/churn/vrounds/3/outcome.json"]
      "get its churn gradient"     = ["s3:GetObject", "models/churn/vrounds/3/steps/0/gradients/retail.safetensors"]
      "put its churn embeddings"   = ["s3:PutObject", "models/churn/vrounds/3/steps/0/embeddings/retail.safetensors"]
      "put a churn blinded set"    = ["s3:PutObject", "models/churn/vrounds/psi/psi-1/sets/finance/1/retail.points"]
      } : name => {
      action        = r[0]
      resource      = "arn:aws:s3:::meshfl-fed/${r[1]}"
      principal_arn = "arn:aws:iam::111111111111:role/meshfl-retail-training"
      context       = { "aws:PrincipalArn" = "arn:aws:iam::111111111111:role/meshfl-retail-training", "aws:SecureTransport" = "true" }
    } }
  }
  assert {
    condition     = !anytrue(values(output.allowed))
    error_message = "Allowed: ${jsonencode([for r, ok in output.allowed : r if ok])}."
  }
}
