# Every object-store request the functions make (infra/contract/functions.json, object_access) is allowed
# by the documents this module renders (decided by tests/evaluator). A request IAM would refuse fails a
# round on AWS. Domains may sit in other accounts, where a request needs an Allow in the role's identity
# policy AND in the bucket policy: each is checked on its own, with the other document's Deny statements.

variables {
  federation_bucket_name = "meshfl-fed"
  domains = {
    retail = {
      data_bucket_name       = "retail-data"
      training_role_arn      = "arn:aws:iam::111111111111:role/meshfl-retail-training"
      signing_key_secret_arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:meshfl-retail-signing-key"
    }
  }
  aggregation_role_arn    = "arn:aws:iam::999999999999:role/meshfl-aggregation"
  sweeper_role_arn        = "arn:aws:iam::999999999999:role/meshfl-sweeper"
  update_queue_arn        = "arn:aws:sqs:eu-west-1:999999999999:meshfl-updates"
  update_event_source_arn = "arn:aws:events:eu-west-1:999999999999:rule/meshfl-updates"
}

run "documents" {
  command = plan
}

run "training_role_policy_allows_every_request_training_makes" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.domain_training_policies["retail"], jsonencode({ Version = "2012-10-17", Statement = [for st in jsondecode(run.documents.federation_bucket_policy).Statement : st if st.Effect == "Deny"] })]
    requests = { for a in jsondecode(file("../../../contract/functions.json")).functions.training.object_access :
      "${a.action} ${coalesce(a.key, try(a.prefix, null), "(bucket)")}" => {
        action        = a.action
        resource      = a.key == null ? "arn:aws:s3:::meshfl-fed" : "arn:aws:s3:::meshfl-fed/${replace(replace(replace(replace(replace(replace(a.key, "{model}", "fraud"), "{round}", "3"), "{domain}", "retail"), "{product}", "sales"), "{version}", "1.0.0"), "{next}", "4")}"
        principal_arn = "arn:aws:iam::111111111111:role/meshfl-retail-training"
        context = merge({ "aws:PrincipalArn" = "arn:aws:iam::111111111111:role/meshfl-retail-training", "aws:SecureTransport" = "true" },
        try(a.prefix, null) == null ? {} : { "s3:prefix" = replace(a.prefix, "{model}", "fraud") })
      }
    }
  }
  assert {
    condition     = alltrue(values(output.allowed))
    error_message = "The training role's identity policy refuses: ${jsonencode([for r, ok in output.allowed : r if !ok])}."
  }
}

run "bucket_policy_allows_every_request_training_makes_from_another_account" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.federation_bucket_policy, jsonencode({ Version = "2012-10-17", Statement = [for st in jsondecode(run.documents.domain_training_policies["retail"]).Statement : st if st.Effect == "Deny"] })]
    requests = { for a in jsondecode(file("../../../contract/functions.json")).functions.training.object_access :
      "${a.action} ${coalesce(a.key, try(a.prefix, null), "(bucket)")}" => {
        action        = a.action
        resource      = a.key == null ? "arn:aws:s3:::meshfl-fed" : "arn:aws:s3:::meshfl-fed/${replace(replace(replace(replace(replace(replace(a.key, "{model}", "fraud"), "{round}", "3"), "{domain}", "retail"), "{product}", "sales"), "{version}", "1.0.0"), "{next}", "4")}"
        principal_arn = "arn:aws:iam::111111111111:role/meshfl-retail-training"
        context = merge({ "aws:PrincipalArn" = "arn:aws:iam::111111111111:role/meshfl-retail-training", "aws:SecureTransport" = "true" },
        try(a.prefix, null) == null ? {} : { "s3:prefix" = replace(a.prefix, "{model}", "fraud") })
      }
    }
  }
  assert {
    condition     = alltrue(values(output.allowed))
    error_message = "The federation bucket policy refuses the training role: ${jsonencode([for r, ok in output.allowed : r if !ok])}."
  }
}

run "aggregation_may_make_every_request_it_makes" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.aggregation_policy, jsonencode({ Version = "2012-10-17", Statement = [for st in jsondecode(run.documents.federation_bucket_policy).Statement : st if st.Effect == "Deny"] })]
    requests = { for a in jsondecode(file("../../../contract/functions.json")).functions.aggregation.object_access :
      "${a.action} ${coalesce(a.key, try(a.prefix, null), "(bucket)")}" => {
        action        = a.action
        resource      = a.key == null ? "arn:aws:s3:::meshfl-fed" : "arn:aws:s3:::meshfl-fed/${replace(replace(replace(replace(replace(a.key, "{model}", "fraud"), "{round}", "3"), "{domain}", "retail"), "{next}", "4"), "{uuid}", "0b7e")}"
        principal_arn = "arn:aws:iam::999999999999:role/meshfl-aggregation"
        context = merge({ "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-aggregation", "aws:SecureTransport" = "true" },
        try(a.prefix, null) == null ? {} : { "s3:prefix" = replace(a.prefix, "{model}", "fraud") })
      }
    }
  }
  assert {
    condition     = alltrue(values(output.allowed))
    error_message = "The aggregation role is refused: ${jsonencode([for r, ok in output.allowed : r if !ok])}."
  }
}

# The sweeper runs the aggregation artifact (its `sweep` function aggregates the rounds that are due), so every
# request the aggregation function makes must be open to the sweeper's role too.
run "sweeper_may_make_every_request_the_aggregation_makes" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.sweeper_policy, jsonencode({ Version = "2012-10-17", Statement = [for st in jsondecode(run.documents.federation_bucket_policy).Statement : st if st.Effect == "Deny"] })]
    requests = { for a in jsondecode(file("../../../contract/functions.json")).functions.aggregation.object_access :
      "${a.action} ${coalesce(a.key, try(a.prefix, null), "(bucket)")}" => {
        action        = a.action
        resource      = a.key == null ? "arn:aws:s3:::meshfl-fed" : "arn:aws:s3:::meshfl-fed/${replace(replace(replace(replace(replace(a.key, "{model}", "fraud"), "{round}", "3"), "{domain}", "retail"), "{next}", "4"), "{uuid}", "0b7e")}"
        principal_arn = "arn:aws:iam::999999999999:role/meshfl-sweeper"
        context = merge({ "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-sweeper", "aws:SecureTransport" = "true" },
        try(a.prefix, null) == null ? {} : { "s3:prefix" = replace(a.prefix, "{model}", "fraud") })
      }
    }
  }
  assert {
    condition     = alltrue(values(output.allowed))
    error_message = "The sweeper's role is refused: ${jsonencode([for r, ok in output.allowed : r if !ok])}."
  }
}
