# A domain in vertical models: a Trigger on the federation's Broker delivers the bucket's object events to its
# training Service, whose package routes that type to `vertical` (contract-check: exports and Knative mappings).

variables {
  federation     = { name = "meshfl-test", namespace = "meshfl-federation", broker_name = "meshfl", registry_url = "http://registry.meshfl-federation.svc.cluster.local" }
  domain         = "retail"
  training_image = "registry.example.org/meshfl/training-function:0.1.0"
  object_store = {
    bucket             = "meshfl-test-federation"
    region             = "eu-west-1"
    credentials_secret = "training-s3"
  }
  registry_token_secret = "registry-token"
  signing_key_secret    = "signing-key"
  vertical              = true
}

run "vertical" {
  command = plan
  assert {
    condition     = output.manifests["31-vertical-trigger"].metadata.namespace == "meshfl-federation" && output.manifests["31-vertical-trigger"].spec.broker == "meshfl"
    error_message = "The Trigger sits beside the federation's Broker."
  }
  assert {
    condition     = output.manifests["31-vertical-trigger"].spec.subscriber.ref == { apiVersion = "serving.knative.dev/v1", kind = "Service", name = "training", namespace = "meshfl-domain-retail" }
    error_message = "The domain's own training Service receives its vertical events."
  }
  assert {
    condition     = output.manifests["32-vertical-round-opened-trigger"].spec.filter.attributes.type == "meshfl.vround.opened" && output.manifests["32-vertical-round-opened-trigger"].spec.subscriber.ref.name == "training" && output.manifests["32-vertical-round-opened-trigger"].spec.broker == "meshfl"
    error_message = "The registry's opened vertical rounds reach the domain's training Service."
  }
}

run "the_training_service_routes_the_vertical_events" {
  command = plan
  module {
    source = "../../contract-check"
  }
  variables {
    function    = "training"
    environment = { for e in run.vertical.manifests["10-training"].spec.template.spec.containers[0].env : e.name => can(e.valueFrom) ? "reference" : "value" }
    export      = null
    event_types = [for m in values(run.vertical.manifests) : m.spec.filter.attributes.type if m.kind == "Trigger" && try(m.spec.subscriber.ref.name, "") == "training" && can(m.spec.filter)]
  }
  assert {
    condition     = output.problems == "" && toset(var.event_types) == toset(["dev.knative.connector.event.aws-sqs", "meshfl.vround.opened"])
    error_message = "The training Service's vertical Trigger breaks the contract: ${output.problems}."
  }
}

run "no_vertical_trigger_by_default" {
  command = plan
  variables {
    vertical = false
  }
  assert {
    condition     = !contains(keys(output.manifests), "31-vertical-trigger") && !contains(keys(output.manifests), "33-vertical-sweep")
    error_message = "A domain outside vertical models hears no object events."
  }
}

run "a_domain_owned_head_is_swept_on_schedule" {
  command = plan
  variables {
    vertical_head = true
  }
  assert {
    condition = (output.manifests["33-vertical-sweep"].kind == "CronJob"
      && output.manifests["33-vertical-sweep"].spec.schedule == "* * * * *"
      && contains(output.manifests["33-vertical-sweep"].spec.jobTemplate.spec.template.spec.containers[0].args, jsonencode({ sweep = "vertical-rounds" }))
    && contains(output.manifests["33-vertical-sweep"].spec.jobTemplate.spec.template.spec.containers[0].args, "http://training.meshfl-domain-retail.svc.cluster.local/vertical"))
    error_message = "Every minute a CronJob posts the sweep input to the domain's training Service's /vertical."
  }
}
