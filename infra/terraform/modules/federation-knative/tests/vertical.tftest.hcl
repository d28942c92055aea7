# The governance-side vertical head (labels shared): the training image as the Service vertical-head, its events
# from the same aws-sqs object events as the aggregation, its environment within the training package's contract.

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
  vertical_head = {
    training_image        = "registry.example.org/meshfl/training-function:0.1.0"
    signing_key_secret    = "vertical-head-signing-key"
    registry_token_secret = "vertical-head-registry-token"
    credentials_secret    = "vertical-head-s3"
  }
}

run "head" {
  command = plan
  assert {
    condition     = output.manifests["40-vertical-head"].kind == "Service" && output.manifests["40-vertical-head"].spec.template.spec.containers[0].image == "registry.example.org/meshfl/training-function:0.1.0"
    error_message = "The head is the training image deployed once more."
  }
  assert {
    condition     = contains(output.manifests["40-vertical-head"].spec.template.spec.containers[0].env, { name = "MESHFL_TRAINING_DOMAIN", value = "governance" })
    error_message = "The head acts for the governance side (the head owner 'governance' of labels-shared models)."
  }
  assert {
    condition = alltrue([for e in output.manifests["40-vertical-head"].spec.template.spec.containers[0].env :
    try(e.valueFrom.secretKeyRef.name, "vertical-head-s3") == "vertical-head-s3" || e.name == "MESHFL_TRAINING_REGISTRY_TOKEN"])
    error_message = "The head uses its own object-store identity, never the aggregation's."
  }
  assert {
    condition     = output.manifests["41-vertical-head-trigger"].spec.filter.attributes.type == "dev.knative.connector.event.aws-sqs" && output.manifests["41-vertical-head-trigger"].spec.subscriber.ref.name == "vertical-head" && output.manifests["43-vertical-head-round-opened-trigger"].spec.filter.attributes.type == "meshfl.vround.opened" && output.manifests["43-vertical-head-round-opened-trigger"].spec.subscriber.ref.name == "vertical-head"
    error_message = "The head hears the bucket's object events."
  }
  assert {
    condition = (output.manifests["42-vertical-sweep-schedule"].kind == "PingSource"
      && output.manifests["42-vertical-sweep-schedule"].spec.sink.ref.name == "vertical-head"
      && contains(output.manifests["40-vertical-head"].spec.template.spec.containers[0].env, { name = "QUARKUS_FUNQY_EXPORT", value = "vertical" })
      && jsondecode(output.manifests["42-vertical-sweep-schedule"].spec.data) == { sweep = "vertical-rounds" }
    && output.manifests["42-vertical-sweep-schedule"].spec.schedule == output.manifests["21-sweep-schedule"].spec.schedule)
    error_message = "On the sweeper's schedule a PingSource sends the head, which exports `vertical` (so the ping's type reaches it), the sweep input."
  }
}

run "head_environment_keeps_the_training_contract" {
  command = plan
  module {
    source = "../../contract-check"
  }
  variables {
    function    = "training"
    environment = { for e in run.head.manifests["40-vertical-head"].spec.template.spec.containers[0].env : e.name => can(e.valueFrom) ? "reference" : "value" }
    export      = one([for e in run.head.manifests["40-vertical-head"].spec.template.spec.containers[0].env : e.value if e.name == "QUARKUS_FUNQY_EXPORT"])
    event_types = [for m in values(run.head.manifests) : m.spec.filter.attributes.type if m.kind == "Trigger" && try(m.spec.subscriber.ref.name, "") == "vertical-head"]
  }
  assert {
    condition     = output.problems == ""
    error_message = "The head's environment breaks the contract: ${output.problems}."
  }
}

run "no_head_without_vertical_head" {
  command = plan
  variables {
    vertical_head = null
  }
  assert {
    condition     = length([for k in keys(output.manifests) : k if startswith(k, "4")]) == 0
    error_message = "Without vertical_head nothing vertical is deployed."
  }
}
