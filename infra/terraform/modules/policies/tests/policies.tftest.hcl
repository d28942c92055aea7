# What the federation relies on, decided by evaluating the generated documents (tests/evaluator models
# AWS policy evaluation). Two domains whose ids share a prefix, to catch patterns that are too loose.

variables {
  federation_bucket_name = "meshfl-fed"
  domains = {
    retail = {
      data_bucket_name       = "retail-data"
      training_role_arn      = "arn:aws:iam::111111111111:role/meshfl-retail-training"
      signing_key_secret_arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:meshfl-retail-signing-key"
    }
    retail-eu = {
      data_bucket_name       = "retail-eu-data"
      training_role_arn      = "arn:aws:iam::222222222222:role/meshfl-retail-eu-training"
      signing_key_secret_arn = "arn:aws:secretsmanager:eu-west-1:222222222222:secret:meshfl-retail-eu-signing-key"
    }
  }
  aggregation_role_arn      = "arn:aws:iam::999999999999:role/meshfl-aggregation"
  governance_principal_arns = ["arn:aws:iam::999999999999:role/meshfl-governance"]
  update_queue_arn          = "arn:aws:sqs:eu-west-1:999999999999:meshfl-updates"
  update_event_source_arn   = "arn:aws:events:eu-west-1:999999999999:rule/meshfl-updates"
  models                    = ["fraud", "churn"]
}

run "documents" {
  command = plan
}

run "domain_writes_only_its_own_update_keys" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.domain_training_policies["retail"]]
    requests = {
      own_update            = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/rounds/3/updates/retail.safetensors" }
      own_update_other_mdl  = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/churn/rounds/12/updates/retail.safetensors" }
      other_domain_update   = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/rounds/3/updates/retail-eu.safetensors" }
      suffixed_own_update   = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/rounds/3/updates/retail.safetensors.tmp" }
      global_model          = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/global/4.safetensors" }
      strategy_state        = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/state/4.safetensors" }
      tmp_object            = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/tmp/agg-3.safetensors" }
      tree_task             = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/tmp/4-tree-0a1b2c/tasks/s0/l0-1" }
      delete_own_update     = { action = "s3:DeleteObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/rounds/3/updates/retail.safetensors" }
      write_own_data_bucket = { action = "s3:PutObject", resource = "arn:aws:s3:::retail-data/products/sales.csv" }
    }
  }
  assert {
    condition = output.allowed == {
      own_update            = true
      own_update_other_mdl  = true
      other_domain_update   = false
      suffixed_own_update   = false
      global_model          = false
      strategy_state        = false
      tmp_object            = false
      tree_task             = false
      delete_own_update     = false
      write_own_data_bucket = false
    }
    error_message = "retail's training policy decided ${jsonencode(output.allowed)}."
  }
}

run "domain_reads_only_its_own_data_and_global_models" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.domain_training_policies["retail"]]
    requests = {
      own_data_object        = { action = "s3:GetObject", resource = "arn:aws:s3:::retail-data/products/sales/part-0.csv" }
      list_own_data_bucket   = { action = "s3:ListBucket", resource = "arn:aws:s3:::retail-data" }
      global_model           = { action = "s3:GetObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/global/3.safetensors" }
      other_domain_data      = { action = "s3:GetObject", resource = "arn:aws:s3:::retail-eu-data/products/sales/part-0.csv" }
      list_other_data_bucket = { action = "s3:ListBucket", resource = "arn:aws:s3:::retail-eu-data" }
      other_domain_update    = { action = "s3:GetObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/rounds/3/updates/retail-eu.safetensors" }
      strategy_state         = { action = "s3:GetObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/state/3.safetensors" }
      list_federation_bucket = { action = "s3:ListBucket", resource = "arn:aws:s3:::meshfl-fed" }
      list_own_data_prefix   = { action = "s3:ListBucket", resource = "arn:aws:s3:::meshfl-fed", context = { "s3:prefix" = "domains/retail/data-products/" } }
      list_other_data_prefix = { action = "s3:ListBucket", resource = "arn:aws:s3:::meshfl-fed", context = { "s3:prefix" = "domains/retail-eu/data-products/" } }
      own_data_in_federation = { action = "s3:GetObject", resource = "arn:aws:s3:::meshfl-fed/domains/retail/data-products/sales/1.0.0/rows.csv" }
      other_data_federation  = { action = "s3:GetObject", resource = "arn:aws:s3:::meshfl-fed/domains/retail-eu/data-products/sales/1.0.0/rows.csv" }
      own_update             = { action = "s3:GetObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/rounds/3/updates/retail.safetensors" }
      tree_partial           = { action = "s3:GetObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/tmp/4-tree-0a1b2c/s0/l0-1.safetensors" }
      own_signing_key        = { action = "secretsmanager:GetSecretValue", resource = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:meshfl-retail-signing-key" }
      other_signing_key      = { action = "secretsmanager:GetSecretValue", resource = "arn:aws:secretsmanager:eu-west-1:222222222222:secret:meshfl-retail-eu-signing-key" }
    }
  }
  assert {
    condition = output.allowed == {
      own_data_object        = true
      list_own_data_bucket   = true
      global_model           = true
      other_domain_data      = false
      list_other_data_bucket = false
      other_domain_update    = false
      strategy_state         = false
      list_federation_bucket = true
      list_own_data_prefix   = true
      list_other_data_prefix = false
      own_data_in_federation = true
      other_data_federation  = false
      own_update             = true
      tree_partial           = false
      own_signing_key        = true
      other_signing_key      = false
    }
    error_message = "retail's training policy decided ${jsonencode(output.allowed)}."
  }
}

run "bucket_policy_stops_an_over_broad_domain_role" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    # retail's role was given s3:* by mistake; the federation bucket's policy still holds the line.
    policies = [
      jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] }),
      run.documents.federation_bucket_policy,
    ]
    requests = {
      own_update = {
        action  = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/rounds/3/updates/retail.safetensors"
        context = { "aws:PrincipalArn" = "arn:aws:iam::111111111111:role/meshfl-retail-training", "aws:SecureTransport" = "true" }
      }
      other_domain_update = {
        action  = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/rounds/3/updates/retail-eu.safetensors"
        context = { "aws:PrincipalArn" = "arn:aws:iam::111111111111:role/meshfl-retail-training", "aws:SecureTransport" = "true" }
      }
      global_model = {
        action  = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/global/4.safetensors"
        context = { "aws:PrincipalArn" = "arn:aws:iam::111111111111:role/meshfl-retail-training", "aws:SecureTransport" = "true" }
      }
      delete_tmp = {
        action  = "s3:DeleteObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/tmp/agg-3.safetensors"
        context = { "aws:PrincipalArn" = "arn:aws:iam::111111111111:role/meshfl-retail-training", "aws:SecureTransport" = "true" }
      }
      tree_partial = {
        action  = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/tmp/4-tree-0a1b2c/s0/l0-1.safetensors"
        context = { "aws:PrincipalArn" = "arn:aws:iam::111111111111:role/meshfl-retail-training", "aws:SecureTransport" = "true" }
      }
      own_update_over_http = {
        action  = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/rounds/3/updates/retail.safetensors"
        context = { "aws:PrincipalArn" = "arn:aws:iam::111111111111:role/meshfl-retail-training", "aws:SecureTransport" = "false" }
      }
    }
  }
  assert {
    condition = output.allowed == {
      own_update           = true
      other_domain_update  = false
      global_model         = false
      delete_tmp           = false
      tree_partial         = false
      own_update_over_http = false
    }
    error_message = "Over-broad role + bucket policy decided ${jsonencode(output.allowed)}."
  }
}

run "bucket_policy_lets_aggregator_and_governance_write_global_models" {
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
      aggregator_global = {
        action  = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/global/4.safetensors"
        context = { "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-aggregation", "aws:SecureTransport" = "true" }
      }
      governance_first_global = {
        action  = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/global/1.safetensors"
        context = { "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-governance", "aws:SecureTransport" = "true" }
      }
      governance_state = {
        action  = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/state/4.safetensors"
        context = { "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-governance", "aws:SecureTransport" = "true" }
      }
      aggregator_update = {
        action  = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/rounds/3/updates/retail.safetensors"
        context = { "aws:PrincipalArn" = "arn:aws:iam::999999999999:role/meshfl-aggregation", "aws:SecureTransport" = "true" }
      }
    }
  }
  assert {
    condition = output.allowed == {
      aggregator_global       = true
      governance_first_global = true
      governance_state        = false
      aggregator_update       = false
    }
    error_message = "Bucket policy decided ${jsonencode(output.allowed)}."
  }
}

run "aggregator_reads_updates_and_writes_only_its_own_prefixes" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.aggregation_policy]
    requests = {
      read_update       = { action = "s3:GetObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/rounds/3/updates/retail.safetensors" }
      write_global      = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/global/4.safetensors" }
      write_state       = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/state/4.safetensors" }
      write_tmp         = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/tmp/agg-3.part" }
      delete_tmp        = { action = "s3:DeleteObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/tmp/agg-3.part" }
      read_tree_partial = { action = "s3:GetObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/tmp/4-tree-0a1b2c/s1/l0-2.safetensors" }
      write_tree_task   = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/tmp/4-tree-0a1b2c/tasks/s1/l0-2" }
      list_models       = { action = "s3:ListBucket", resource = "arn:aws:s3:::meshfl-fed", context = { "s3:prefix" = "models/fraud/rounds/3/updates/" } }
      consume_queue     = { action = "sqs:DeleteMessage", resource = "arn:aws:sqs:eu-west-1:999999999999:meshfl-updates" }
      write_update      = { action = "s3:PutObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/rounds/3/updates/retail.safetensors" }
      delete_global     = { action = "s3:DeleteObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/global/3.safetensors" }
      read_domain_data  = { action = "s3:GetObject", resource = "arn:aws:s3:::retail-data/products/sales/part-0.csv" }
      list_outside_mdls = { action = "s3:ListBucket", resource = "arn:aws:s3:::meshfl-fed", context = { "s3:prefix" = "" } }
    }
  }
  assert {
    condition = output.allowed == {
      read_update       = true
      write_global      = true
      write_state       = true
      write_tmp         = true
      delete_tmp        = true
      read_tree_partial = true
      write_tree_task   = true
      list_models       = true
      consume_queue     = true
      write_update      = false
      delete_global     = false
      read_domain_data  = false
      list_outside_mdls = false
    }
    error_message = "The aggregation policy decided ${jsonencode(output.allowed)}."
  }
}

run "registry_touches_no_objects" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.registry_policy]
    requests = {
      read_update = { action = "s3:GetObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/rounds/3/updates/retail.safetensors" }
      read_data   = { action = "s3:GetObject", resource = "arn:aws:s3:::retail-data/x.csv" }
    }
  }
  assert {
    condition     = output.allowed == { read_update = false, read_data = false }
    error_message = "The registry policy decided ${jsonencode(output.allowed)}."
  }
}

run "update_queue_accepts_only_the_update_rule" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.update_queue_policy]
    requests = {
      from_rule = {
        action  = "sqs:SendMessage", resource = "arn:aws:sqs:eu-west-1:999999999999:meshfl-updates", principal_service = "events.amazonaws.com"
        context = { "aws:SourceArn" = "arn:aws:events:eu-west-1:999999999999:rule/meshfl-updates" }
      }
      from_other_rule = {
        action  = "sqs:SendMessage", resource = "arn:aws:sqs:eu-west-1:999999999999:meshfl-updates", principal_service = "events.amazonaws.com"
        context = { "aws:SourceArn" = "arn:aws:events:eu-west-1:999999999999:rule/someone-else" }
      }
      from_s3_directly = {
        action  = "sqs:SendMessage", resource = "arn:aws:sqs:eu-west-1:999999999999:meshfl-updates", principal_service = "s3.amazonaws.com"
        context = { "aws:SourceArn" = "arn:aws:s3:::meshfl-fed" }
      }
    }
  }
  assert {
    condition     = output.allowed == { from_rule = true, from_other_rule = false, from_s3_directly = false }
    error_message = "The queue policy decided ${jsonencode(output.allowed)}."
  }
}

run "update_event_pattern_matches_update_keys_tree_objects_and_nothing_else_the_aggregator_writes" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = []
    requests = {}
    # Every key against every wildcard of the pattern's key list (EventBridge ORs them): "{name} {index}".
    keys = merge([for i, w in jsondecode(run.documents.update_event_pattern).detail.object.key : { for name, key in {
      update           = "models/fraud/rounds/3/updates/retail.safetensors"
      update_round_100 = "models/churn-v2/rounds/100/updates/retail-eu.safetensors"
      tree_task        = "models/fraud/tmp/4-tree-0a1b2c/tasks/s0/l0-1"
      tree_partial     = "models/fraud/tmp/4-tree-0a1b2c/s1/l1-0.safetensors"
      tree_slice       = "models/fraud/tmp/4-tree-0a1b2c/s1/model.safetensors"
      global           = "models/fraud/global/4.safetensors"
      first_global     = "models/fraud/global/1.safetensors"
      state            = "models/fraud/state/4.safetensors"
      tmp_part         = "models/fraud/tmp/agg-3-6f1c.safetensors"
      tmp_nested       = "models/fraud/tmp/3/global.safetensors"
      update_sidecar   = "models/fraud/rounds/3/updates/retail.json"
      data_product     = "domains/retail/products/sales.csv"
      vertical_step    = "models/fraud/vrounds/2/steps/0/embeddings/retail.safetensors"
    } : "${name} ${i}" => { wildcard = w.wildcard, key = key } }]...)
  }
  assert {
    condition = { for name in distinct([for k, _ in output.key_matches : split(" ", k)[0]]) : name => anytrue([
      for k, m in output.key_matches : m if split(" ", k)[0] == name]) } == {
      update           = true
      update_round_100 = true
      tree_task        = true
      tree_partial     = true
      tree_slice       = true
      global           = false
      first_global     = false
      state            = false
      tmp_part         = false
      tmp_nested       = false
      update_sidecar   = false
      data_product     = false
      vertical_step    = false
    }
    error_message = "The update event pattern matched ${jsonencode(output.key_matches)}."
  }
}

run "update_event_pattern_listens_to_the_federation_bucket_only" {
  command = plan
  assert {
    condition = jsondecode(output.update_event_pattern) == {
      source        = ["aws.s3"]
      "detail-type" = ["Object Created"]
      detail = {
        bucket = { name = ["meshfl-fed"] }
        object = { key = [{ wildcard = "models/*/rounds/*/updates/*.safetensors" }, { wildcard = "models/*/tmp/*-tree-*/*" }] }
      }
    }
    error_message = "Unexpected event pattern ${output.update_event_pattern}."
  }
  assert {
    condition     = output.aggregation_event_wildcards == ["models/*/rounds/*/updates/*.safetensors", "models/*/tmp/*-tree-*/*"]
    error_message = "The aggregation function's keys are the update keys and the tree's objects."
  }
}

run "input_template_renders_the_s3_notification_the_aggregator_parses" {
  command = plan
  assert {
    # Substitute what EventBridge would put in (JSON values, as the input transformer does).
    condition = jsondecode(replace(replace(replace(replace(replace(replace(replace(replace(output.update_event_input_template,
      "<bucket>", "\"meshfl-fed\""),
      "<key>", "\"models/fraud/rounds/3/updates/retail.safetensors\""),
      "<size>", "1048"),
      "<etag>", "\"9b2cf535f27731c974343645a3985328\""),
      "<sequencer>", "\"0055AED6DCD90281E5\""),
      "<reason>", "PutObject"),
      "<time>", "\"2026-11-30T10:00:00Z\""),
      "<region>", "\"eu-west-1\"")).Records[0] == {
      eventVersion = "2.1"
      eventSource  = "aws:s3"
      awsRegion    = "eu-west-1"
      eventTime    = "2026-11-30T10:00:00Z"
      eventName    = "ObjectCreated:PutObject"
      s3 = {
        s3SchemaVersion = "1.0"
        bucket          = { name = "meshfl-fed", arn = "arn:aws:s3:::meshfl-fed" }
        object          = { key = "models/fraud/rounds/3/updates/retail.safetensors", size = 1048, eTag = "9b2cf535f27731c974343645a3985328", sequencer = "0055AED6DCD90281E5" }
      }
    }
    error_message = "The input template does not render the S3 notification shape: ${output.update_event_input_template}"
  }
  assert {
    condition     = toset(keys(output.update_event_input_paths)) == toset([for m in regexall("<([a-z]+)>", output.update_event_input_template) : m[0]])
    error_message = "Every placeholder of the template needs an input path and vice versa."
  }
}

run "s3_notification_filters_select_update_keys_per_model" {
  command = plan
  variables {
    update_event_path       = "s3-notification"
    update_event_source_arn = "arn:aws:s3:::meshfl-fed"
  }
  assert {
    condition = output.s3_notification_filters == [
      { prefix = "models/fraud/rounds/", suffix = ".safetensors" }, { prefix = "models/fraud/tmp/", suffix = null },
      { prefix = "models/churn/rounds/", suffix = ".safetensors" }, { prefix = "models/churn/tmp/", suffix = null },
    ]
    error_message = "Unexpected filters ${jsonencode(output.s3_notification_filters)}."
  }
  assert {
    # S3 filter semantics: prefix and (if any) suffix. Update keys and tree objects match one filter, the
    # aggregator's published models none. (The function writes nothing but tree objects under tmp/ in the bucket.)
    condition = [for key in [
      "models/fraud/rounds/3/updates/retail.safetensors",
      "models/churn/rounds/7/updates/retail-eu.safetensors",
      "models/fraud/tmp/4-tree-0a1b2c/tasks/s0/l0-1",
      "models/churn/tmp/2-tree-0a1b2c/s0/l0-1.safetensors",
      "models/fraud/global/4.safetensors",
      "models/fraud/state/4.safetensors",
      "models/fraudulent/rounds/1/updates/retail.safetensors",
      "models/fraudulent/tmp/4-tree-0a1b2c/tasks/s0/l0-1",
      ] : length([for f in output.s3_notification_filters : f if startswith(key, f.prefix) && (f.suffix == null ? true : endswith(key, f.suffix))])
    ] == [1, 1, 1, 1, 0, 0, 0, 0]
    error_message = "The S3 notification filters match the wrong keys."
  }
  assert {
    condition     = jsondecode(output.update_queue_policy).Statement[0].Principal.Service == ["s3.amazonaws.com"]
    error_message = "With S3 notifications the queue must admit the S3 service principal."
  }
}

run "notification_configuration_sends_each_models_updates_to_the_queue" {
  command = plan
  assert {
    condition = slice(jsondecode(output.s3_notification_configuration).QueueConfigurations, 2, 4) == [{
      Id       = "meshfl-updates-churn"
      QueueArn = "arn:aws:sqs:eu-west-1:999999999999:meshfl-updates"
      Events   = ["s3:ObjectCreated:*"]
      Filter   = { Key = { FilterRules = [{ Name = "prefix", Value = "models/churn/rounds/" }, { Name = "suffix", Value = ".safetensors" }] } }
      }, {
      Id       = "meshfl-tree-churn"
      QueueArn = "arn:aws:sqs:eu-west-1:999999999999:meshfl-updates"
      Events   = ["s3:ObjectCreated:*"]
      Filter   = { Key = { FilterRules = [{ Name = "prefix", Value = "models/churn/tmp/" }] } }
    }]
    error_message = "Unexpected notification configuration ${output.s3_notification_configuration}."
  }
}

run "queue_reader_may_only_consume_the_update_queue" {
  command = plan
  module {
    source = "./tests/evaluator"
  }
  variables {
    policies = [run.documents.update_queue_reader_policy]
    requests = {
      receive      = { action = "sqs:ReceiveMessage", resource = "arn:aws:sqs:eu-west-1:999999999999:meshfl-updates" }
      delete       = { action = "sqs:DeleteMessage", resource = "arn:aws:sqs:eu-west-1:999999999999:meshfl-updates" }
      send         = { action = "sqs:SendMessage", resource = "arn:aws:sqs:eu-west-1:999999999999:meshfl-updates" }
      other_queue  = { action = "sqs:ReceiveMessage", resource = "arn:aws:sqs:eu-west-1:999999999999:other" }
      read_updates = { action = "s3:GetObject", resource = "arn:aws:s3:::meshfl-fed/models/fraud/rounds/3/updates/retail.safetensors" }
    }
  }
  assert {
    condition     = output.allowed == { receive = true, delete = true, send = false, other_queue = false, read_updates = false }
    error_message = "The queue reader policy decided ${jsonencode(output.allowed)}."
  }
}

run "rejects_domain_ids_that_would_be_url_encoded_in_keys" {
  command = plan
  variables {
    domains = { "Retail EU" = { data_bucket_name = "retail-data" } }
  }
  expect_failures = [var.domains]
}

run "rejects_an_invalid_bucket_name" {
  command = plan
  variables {
    federation_bucket_name = "Meshfl_Fed"
  }
  expect_failures = [var.federation_bucket_name]
}

run "rejects_an_unknown_event_path" {
  command = plan
  variables {
    update_event_path = "sns"
  }
  expect_failures = [var.update_event_path]
}
