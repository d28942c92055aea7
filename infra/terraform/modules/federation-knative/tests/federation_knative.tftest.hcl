# Provider-free: the module only renders manifests, so this runs anywhere `terraform test` does.

variables {
  name              = "meshfl-test"
  registry_image    = "registry.example.org/meshfl/registry-function:0.1.0"
  aggregation_image = "registry.example.org/meshfl/aggregation-function:0.1.0"
  object_store      = { bucket = "meshfl-test-federation", region = "eu-west-1", credentials_secret = "aggregation-s3" }
  update_events = {
    source     = "aws-sqs"
    queue_arn  = "arn:aws:sqs:eu-west-1:999999999999:meshfl-test-updates"
    region     = "eu-west-1"
    aws_secret = "update-queue-reader"
  }
  database                 = { host = "meshfl-db-rw.databases.svc.cluster.local", credentials_secret = "registry-db" }
  jwt                      = { issuer = "https://governance.example.org", public_key_secret = "registry-jwt" }
  aggregation_token_secret = "aggregation-registry-token"
}

run "object_created_events_come_from_sqs_through_the_broker_to_aggregation" {
  command = plan
  assert {
    condition     = output.manifests["31-update-events-source"].kind == "IntegrationSource" && keys(output.manifests["31-update-events-source"].spec.aws) == ["auth", "sqs"]
    error_message = "The object-store event path is the aws-sqs IntegrationSource (never aws-s3)."
  }
  assert {
    condition     = output.manifests["31-update-events-source"].spec.aws.sqs.arn == "arn:aws:sqs:eu-west-1:999999999999:meshfl-test-updates"
    error_message = "The IntegrationSource must read the update queue."
  }
  assert {
    condition     = output.manifests["31-update-events-source"].spec.aws.auth == { secret = { ref = { name = "update-queue-reader" } } }
    error_message = "The IntegrationSource authenticates with the named Secret."
  }
  assert {
    condition     = output.manifests["31-update-events-source"].spec.sink.ref.kind == "Broker"
    error_message = "Object-created events go to the Broker."
  }
  assert {
    condition     = output.manifests["32-aggregation-trigger"].spec.filter == { attributes = { type = "dev.knative.connector.event.aws-sqs" } }
    error_message = "The aggregation Trigger filters the object-created type only."
  }
  assert {
    condition     = output.manifests["32-aggregation-trigger"].spec.subscriber.ref.name == "aggregation"
    error_message = "The aggregation Trigger delivers to the aggregation service."
  }
  assert {
    condition     = !strcontains(output.manifests_yaml, "\"s3\":")
    error_message = "No aws-s3 source may appear in the manifests."
  }
}

run "functions_get_their_configuration_from_secrets" {
  command = plan
  assert {
    condition = contains(output.manifests["20-aggregation"].spec.template.spec.containers[0].env,
    { name = "MESHFL_REGISTRY_TOKEN_FILE", value = "/var/run/secrets/meshfl/registry-token/token" })
    error_message = "The aggregation reads its token from the file its Secret is mounted as (rotated without a restart)."
  }
  assert {
    condition = one(output.manifests["20-aggregation"].spec.template.spec.volumes).secret.secretName == "aggregation-registry-token" && one(
    output.manifests["20-aggregation"].spec.template.spec.containers[0].volumeMounts).mountPath == "/var/run/secrets/meshfl/registry-token"
    error_message = "The aggregation token's Secret is mounted where MESHFL_REGISTRY_TOKEN_FILE points."
  }
  assert {
    condition     = !contains([for e in output.manifests["20-aggregation"].spec.template.spec.containers[0].env : e.name], "QUARKUS_FUNQY_EXPORT")
    error_message = "The aggregation service must not export one function: Funqy would send it every CloudEvent, the sweep pings included."
  }
  assert {
    condition = contains(output.manifests["10-registry"].spec.template.spec.containers[0].env,
    { name = "QUARKUS_DATASOURCE_REACTIVE_URL", value = "postgresql://meshfl-db-rw.databases.svc.cluster.local:5432/meshfl" })
    error_message = "The registry's reactive URL points at the database."
  }
  assert {
    condition     = output.manifests["11-registry-sink-binding"].spec.sink.ref.name == "meshfl"
    error_message = "The registry's round events go to the Broker."
  }
  assert {
    condition     = output.manifests["20-aggregation"].metadata.labels["networking.knative.dev/visibility"] == "cluster-local"
    error_message = "The aggregation service is not reachable from outside the cluster."
  }
}

run "federation_namespace_denies_ingress_except_the_knative_data_plane" {
  command = plan
  assert {
    condition     = output.manifests["90-network-policy-deny"].spec == { podSelector = {}, policyTypes = ["Ingress"] }
    error_message = "Ingress is denied by default."
  }
  assert {
    condition     = length(output.manifests["91-network-policy-knative"].spec.ingress[0].from) == 4
    error_message = "Ingress is allowed from the three system namespaces and the namespace itself."
  }
}

run "webhook_path_has_no_queue_source" {
  command = plan
  variables {
    update_events = { source = "webhook" }
    object_store  = { bucket = "meshfl-test-federation", endpoint = "http://minio.storage.svc.cluster.local:9000", path_style = true, credentials_secret = "aggregation-s3" }
  }
  assert {
    condition     = !contains(keys(output.manifests), "31-update-events-source") && !contains(keys(output.manifests), "32-aggregation-trigger")
    error_message = "The webhook path needs neither IntegrationSource nor Trigger."
  }
  assert {
    condition     = output.webhook_endpoint == "http://aggregation.meshfl-federation.svc.cluster.local/aggregate"
    error_message = "Unexpected webhook endpoint ${coalesce(output.webhook_endpoint, "null")}."
  }
  assert {
    condition = contains(output.manifests["20-aggregation"].spec.template.spec.containers[0].env,
    { name = "MESHFL_OBJECT_STORE_ENDPOINT", value = "http://minio.storage.svc.cluster.local:9000" })
    error_message = "An S3-compatible store's endpoint reaches the function."
  }
}

run "rejects_the_aws_s3_source" {
  command = plan
  variables {
    update_events = { source = "aws-s3" }
  }
  expect_failures = [var.update_events]
}

run "rejects_sqs_without_exactly_one_credential" {
  command = plan
  variables {
    update_events = { source = "aws-sqs", queue_arn = "arn:aws:sqs:eu-west-1:999999999999:q", region = "eu-west-1" }
  }
  expect_failures = [var.update_events]
}

run "rejects_an_untagged_image" {
  command = plan
  variables {
    aggregation_image = "registry.example.org/meshfl/aggregation-function"
  }
  expect_failures = [var.aggregation_image]
}

# The functions' environments keep infra/contract/functions.json: every variable is one the function
# reads, every setting it requires is there, secrets only by reference.
run "function_environments" {
  command = plan
}

run "aggregation_environment_keeps_the_contract" {
  command = plan
  module {
    source = "../../contract-check"
  }
  variables {
    function    = "aggregation"
    environment = { for e in run.function_environments.manifests["20-aggregation"].spec.template.spec.containers[0].env : e.name => can(e.valueFrom) ? "reference" : "value" }
    export      = one([for e in run.function_environments.manifests["20-aggregation"].spec.template.spec.containers[0].env : e.value if e.name == "QUARKUS_FUNQY_EXPORT"])
    # What reaches the aggregation Service: its Triggers' types and its PingSources' pings.
    event_types = concat(
      [for m in values(run.function_environments.manifests) : m.spec.filter.attributes.type if m.kind == "Trigger" && try(m.spec.subscriber.ref.name, "") == "aggregation"],
      [for m in values(run.function_environments.manifests) : "dev.knative.sources.ping" if m.kind == "PingSource" && try(m.spec.sink.ref.name, "") == "aggregation"],
    )
  }
  assert {
    condition     = output.problems == ""
    error_message = "The aggregation Service's environment breaks the contract: ${output.problems}."
  }
}

run "registry_environment_keeps_the_contract" {
  command = plan
  module {
    source = "../../contract-check"
  }
  variables {
    function    = "registry"
    environment = { for e in run.function_environments.manifests["10-registry"].spec.template.spec.containers[0].env : e.name => can(e.valueFrom) ? "reference" : "value" }
  }
  assert {
    condition     = output.problems == ""
    error_message = "The registry Service's environment breaks the contract: ${output.problems}."
  }
  assert {
    condition     = contains(run.function_environments.manifests["10-registry"].spec.template.spec.containers[0].env, { name = "MP_MESSAGING_OUTGOING_ROUND_EVENTS_CONNECTOR", value = "meshfl-cloudevents-http" }) && run.function_environments.manifests["11-registry-sink-binding"].spec.subject.name == "registry"
    error_message = "The registry sends round events over HTTP to the K_SINK its SinkBinding injects."
  }
}

run "lease_outlives_the_aggregation_timeout" {
  command = plan
  variables {
    aggregation_timeout_seconds = 600
  }
  assert {
    condition     = contains(output.manifests["20-aggregation"].spec.template.spec.containers[0].env, { name = "MESHFL_AGGREGATION_LEASE", value = "PT660S" })
    error_message = "The round-close lease must outlive the request timeout, or a live aggregation is taken over."
  }
}

run "aggregation_scratch_space_is_sized_from_the_model_and_the_domains" {
  command = plan
  variables {
    max_model_size_mb     = 400
    max_domains_per_round = 20
  }
  assert {
    # (20 + 6) x 400 MB x 1.25
    condition     = output.manifests["20-aggregation"].spec.template.spec.containers[0].resources.limits["ephemeral-storage"] == "13000Mi" && output.manifests["20-aggregation"].spec.template.spec.containers[0].resources.requests["ephemeral-storage"] == "13000Mi"
    error_message = "The aggregation's ephemeral storage must hold a round's updates, models and outputs."
  }
}

run "only_the_registry_and_the_queue_source_may_send_to_the_broker" {
  command = plan
  assert {
    condition     = output.manifests["33-broker-senders"].kind == "EventPolicy" && one(output.manifests["33-broker-senders"].spec.to).ref.name == "meshfl"
    error_message = "An EventPolicy guards the Broker."
  }
  assert {
    condition = toset([for f in output.manifests["33-broker-senders"].spec.from : "${f.ref.kind}/${f.ref.name}"]) == toset([
    "SinkBinding/registry-round-events", "IntegrationSource/update-events"])
    error_message = "The registry's SinkBinding and the aws-sqs source, and nobody else, may send to the Broker."
  }
  assert {
    condition     = alltrue([for f in output.manifests["33-broker-senders"].spec.from : !can(f.sub) && !can(f.namespace)])
    error_message = "No subject or namespace wildcard may widen the policy."
  }
  assert {
    condition     = alltrue([for name in ["registry-round-events"] : contains([for k, m in output.manifests : m.metadata.name if m.kind == "SinkBinding"], name)])
    error_message = "The policy names the SinkBinding the module renders."
  }
}

run "the_broker_policy_can_be_left_out_on_clusters_without_eventpolicy" {
  command = plan
  variables {
    restrict_broker_senders = false
  }
  assert {
    condition     = !contains(keys(output.manifests), "33-broker-senders")
    error_message = "restrict_broker_senders = false renders no EventPolicy."
  }
}
