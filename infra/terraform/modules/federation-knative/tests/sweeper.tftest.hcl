# The sweeper on Knative (issue 15): a PingSource whose pings the aggregation Service routes to its `sweep`
# function. Provider-free.

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

run "a_ping_source_sweeps_every_minute_through_the_aggregation_service" {
  command = plan
  assert {
    condition     = output.manifests["21-sweep-schedule"].apiVersion == "sources.knative.dev/v1" && output.manifests["21-sweep-schedule"].kind == "PingSource"
    error_message = "The sweeper's trigger is a sources.knative.dev/v1 PingSource."
  }
  assert {
    condition     = output.manifests["21-sweep-schedule"].spec.schedule == "* * * * *" && !contains(keys(output.manifests["21-sweep-schedule"].spec), "timezone")
    error_message = "The default sweep runs every minute."
  }
  assert {
    condition     = output.manifests["21-sweep-schedule"].spec.sink == { ref = { apiVersion = "serving.knative.dev/v1", kind = "Service", name = "aggregation", namespace = "meshfl-federation" } }
    error_message = "The pings go to the aggregation Service."
  }
  assert {
    condition     = output.manifests["21-sweep-schedule"].spec.data == "{}" && output.manifests["21-sweep-schedule"].spec.contentType == "application/json"
    error_message = "A sweep carries {} as JSON."
  }
  assert {
    condition     = output.manifests["21-sweep-schedule"].metadata.namespace == output.manifests["20-aggregation"].metadata.namespace
    error_message = "The PingSource lives next to the aggregation Service."
  }
  assert {
    condition     = output.sweep_event_type == "dev.knative.sources.ping"
    error_message = "A PingSource sends dev.knative.sources.ping."
  }
}

# Field names and types of the PingSource kept to the upstream CRD's v1 schema
# (knative/eventing config/core/resources/pingsource.yaml, version v1: spec.ceOverrides, contentType, data,
# dataBase64, schedule, sink{ref{apiVersion,kind,name,namespace},uri,CACerts,audience}, timezone, all
# strings but ceOverrides and sink), so the API server's structural schema would not prune or reject any.
run "the_ping_source_keeps_the_upstream_v1_schema" {
  command = plan
  variables {
    sweep_timezone = "Europe/Berlin"
  }
  assert {
    condition     = length(setsubtract(keys(output.manifests["21-sweep-schedule"].spec), ["ceOverrides", "contentType", "data", "dataBase64", "schedule", "sink", "timezone"])) == 0
    error_message = "PingSource spec fields outside the v1 schema: ${jsonencode(setsubtract(keys(output.manifests["21-sweep-schedule"].spec), ["ceOverrides", "contentType", "data", "dataBase64", "schedule", "sink", "timezone"]))}."
  }
  assert {
    condition     = alltrue([for k, v in output.manifests["21-sweep-schedule"].spec : can(tostring(v)) if k != "sink" && k != "ceOverrides"])
    error_message = "schedule, timezone, contentType and data are strings in the schema."
  }
  assert {
    condition     = length(setsubtract(keys(output.manifests["21-sweep-schedule"].spec.sink), ["ref", "uri", "CACerts", "audience"])) == 0 && length(setsubtract(keys(output.manifests["21-sweep-schedule"].spec.sink.ref), ["apiVersion", "kind", "name", "namespace"])) == 0
    error_message = "sink is a Destination: ref{apiVersion, kind, name, namespace} and uri."
  }
  assert {
    condition     = keys(output.manifests["21-sweep-schedule"].metadata) == ["labels", "name", "namespace"] && can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", output.manifests["21-sweep-schedule"].metadata.name))
    error_message = "The PingSource's metadata is a DNS-label name, its namespace and labels."
  }
  assert {
    condition     = output.manifests["21-sweep-schedule"].spec.timezone == "Europe/Berlin"
    error_message = "The sweep keeps its time zone."
  }
}

run "the_sweep_schedule_is_configurable" {
  command = plan
  variables {
    sweep_schedule = "@every 30s"
  }
  assert {
    condition     = output.manifests["21-sweep-schedule"].spec.schedule == "@every 30s"
    error_message = "The PingSource follows sweep_schedule."
  }
}

run "the_webhook_path_sweeps_too" {
  command = plan
  variables {
    update_events = { source = "webhook" }
    object_store  = { bucket = "meshfl-test-federation", endpoint = "http://minio.storage.svc.cluster.local:9000", path_style = true, credentials_secret = "aggregation-s3" }
  }
  assert {
    condition     = output.manifests["21-sweep-schedule"].spec.sink.ref.name == "aggregation"
    error_message = "Without a Trigger the sweep still reaches the aggregation Service."
  }
}

run "rejects_a_schedule_that_is_no_cron_expression" {
  command = plan
  variables {
    sweep_schedule = "every minute"
  }
  expect_failures = [var.sweep_schedule]
}

run "function_environments" {
  command = plan
}

# The pings and the update events both reach their functions: nothing is exported (which would swallow
# the pings), and the package maps each type (infra/contract/functions.json, exports).
run "the_sweep_ping_reaches_the_sweep_function" {
  command = plan
  module {
    source = "../../contract-check"
  }
  variables {
    function    = "aggregation"
    environment = { for e in run.function_environments.manifests["20-aggregation"].spec.template.spec.containers[0].env : e.name => can(e.valueFrom) ? "reference" : "value" }
    export      = one([for e in run.function_environments.manifests["20-aggregation"].spec.template.spec.containers[0].env : e.value if e.name == "QUARKUS_FUNQY_EXPORT"])
    event_types = [for m in values(run.function_environments.manifests) : "dev.knative.sources.ping" if m.kind == "PingSource" && try(m.spec.sink.ref.name, "") == "aggregation"]
  }
  assert {
    condition     = output.problems == "" && var.event_types == tolist(["dev.knative.sources.ping"])
    error_message = "The sweep PingSource's events do not reach sweep: ${output.problems}."
  }
}
