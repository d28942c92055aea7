# The sweeper (the aggregation artifact's `sweep`, run by a schedule) closes, aggregates and takes over rounds
# that are due: it needs exactly the aggregation function's object and secret access, under its own role,
# and nothing of the update queue.

variables {
  federation_bucket_name  = "meshfl-fed"
  aggregation_role_arn    = "arn:aws:iam::999999999999:role/meshfl-aggregation"
  sweeper_role_arn        = "arn:aws:iam::999999999999:role/meshfl-sweeper"
  update_queue_arn        = "arn:aws:sqs:eu-west-1:999999999999:meshfl-updates"
  aggregation_secret_arns = ["arn:aws:secretsmanager:eu-west-1:999999999999:secret:meshfl-aggregation-token"]
}

run "documents" {
  command = plan
}

run "sweeper_policy_is_the_aggregation_policy_without_the_queue" {
  command = plan
  assert {
    condition     = jsondecode(run.documents.sweeper_policy).Statement == [for st in jsondecode(run.documents.aggregation_policy).Statement : st if st.Sid != "ConsumeUpdateQueue"]
    error_message = "The sweeper must get the aggregation function's object and secret statements, and only those."
  }
  assert {
    condition     = length(jsondecode(run.documents.aggregation_policy).Statement) == length(jsondecode(run.documents.sweeper_policy).Statement) + 1
    error_message = "Only the queue statement may differ."
  }
}

run "sweeper_role_decides_like_the_aggregation_role_except_for_the_queue" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.sweeper_policy, jsonencode({ Version = "2012-10-17", Statement = [for st in jsondecode(run.documents.federation_bucket_policy).Statement : st if st.Effect == "Deny"] })]
    requests = { for name, r in {
      read_update   = { action = "s3:GetObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/rounds/3/updates/retail.safetensors" }
      write_global  = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/global/4.safetensors" }
      write_state   = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/state/4.safetensors" }
      delete_tmp    = { action = "s3:DeleteObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/tmp/4-0b7e.safetensors" }
      read_tree     = { action = "s3:GetObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/tmp/4-tree-0a1b2c/plan.json" }
      write_tree    = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/tmp/4-tree-0a1b2c/tasks/s0/l0-1" }
      read_token    = { action = "secretsmanager:GetSecretValue", resource = "arn:aws:secretsmanager:eu-west-1:999999999999:secret:meshfl-aggregation-token" }
      consume_queue = { action = "sqs:ReceiveMessage", resource = "arn:aws:sqs:eu-west-1:999999999999:meshfl-updates" }
      write_update  = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/rounds/3/updates/retail.safetensors" }
      delete_global = { action = "s3:DeleteObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/global/3.safetensors" }
      } : name => merge(r, {
        principal_arn = "arn:aws:iam::999999999999:role/meshfl-sweeper"
        context       = { "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-sweeper", "aws:SecureTransport" = "true" }
    }) }
  }
  assert {
    condition = output.allowed == {
      read_update   = true
      write_global  = true
      write_state   = true
      delete_tmp    = true
      read_tree     = true
      write_tree    = true
      read_token    = true
      consume_queue = false
      write_update  = false
      delete_global = false
    }
    error_message = "The sweeper's role with the bucket policy decided ${jsonencode(output.allowed)}."
  }
}

run "bucket_policy_admits_the_sweeper_and_still_no_other_role_to_global_state_and_tmp" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [
      jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] }),
      run.documents.federation_bucket_policy,
    ]
    requests = {
      sweeper_global = {
        action  = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/global/4.safetensors"
        context = { "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-sweeper", "aws:SecureTransport" = "true" }
      }
      sweeper_tmp = {
        action  = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/tmp/4-0b7e.safetensors"
        context = { "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-sweeper", "aws:SecureTransport" = "true" }
      }
      aggregation_state = {
        action  = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/state/4.safetensors"
        context = { "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-aggregation", "aws:SecureTransport" = "true" }
      }
      other_role_global = {
        action  = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/global/4.safetensors"
        context = { "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-sweeper-impostor", "aws:SecureTransport" = "true" }
      }
      other_role_state = {
        action  = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/state/4.safetensors"
        context = { "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-other", "aws:SecureTransport" = "true" }
      }
    }
  }
  assert {
    condition = output.allowed == {
      sweeper_global    = true
      sweeper_tmp       = true
      aggregation_state = true
      other_role_global = false
      other_role_state  = false
    }
    error_message = "Bucket policy decided ${jsonencode(output.allowed)}."
  }
}

run "rejects_a_wildcard_sweeper_principal" {
  command = plan
  variables {
    sweeper_role_arn = "arn:aws:iam::999999999999:role/*"
  }
  expect_failures = [var.sweeper_role_arn]
}
