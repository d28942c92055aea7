# Provider-free: renders the whole example and checks the wiring.

variables {
  federation_bucket_name = "meshfl-demo-federation"
  update_queue_arn       = "arn:aws:sqs:eu-west-1:123456789012:meshfl-demo-updates"
  image_prefix           = "registry.example.org/meshfl"
  database_host          = "meshfl-db-rw.databases.svc.cluster.local"
  jwt_issuer             = "https://governance.example.org"
}

run "renders_one_federation_and_three_isolated_domains" {
  command = plan
  assert {
    condition     = output.domain_namespaces == { finance = "meshfl-domain-finance", logistics = "meshfl-domain-logistics", retail = "meshfl-domain-retail" }
    error_message = "One namespace per domain."
  }
  assert {
    condition     = length([for doc in split("---\n", output.manifests_yaml) : doc if strcontains(doc, "\n\"kind\": \"Trigger\"")]) == 4
    error_message = "One aggregation Trigger and one round-opened Trigger per domain."
  }
  assert {
    condition     = length([for doc in split("---\n", output.manifests_yaml) : doc if strcontains(doc, "\n\"kind\": \"IntegrationSource\"")]) == 1
    error_message = "Exactly one IntegrationSource (aws-sqs)."
  }
  assert {
    condition     = alltrue([for doc in split("---\n", output.manifests_yaml) : doc == "" || can(yamldecode(doc).kind)])
    error_message = "Every document must parse as a Kubernetes object."
  }
}

run "s3_side_sends_only_update_keys_and_tree_objects_to_the_queue" {
  command = plan
  assert {
    condition     = [for q in jsondecode(output.s3_notification_configuration).QueueConfigurations : q.Filter.Key.FilterRules[0].Value] == ["models/fraud/rounds/", "models/fraud/tmp/"]
    error_message = "The bucket notifies the queue for update keys and sharded rounds' tree objects of the domains' models only."
  }
  assert {
    condition     = jsondecode(output.update_queue_policy).Statement[0].Condition.ArnEquals["aws:SourceArn"] == ["arn:aws:s3:::meshfl-demo-federation"]
    error_message = "Only the federation bucket may send to the queue."
  }
}
