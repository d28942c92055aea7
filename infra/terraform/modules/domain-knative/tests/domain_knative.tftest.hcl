# Provider-free: the module only renders manifests, so this runs anywhere `terraform test` does.

variables {
  federation            = { name = "meshfl-test", namespace = "meshfl-federation", broker_name = "meshfl", registry_url = "http://registry.meshfl-federation.svc.cluster.local" }
  domain                = "retail"
  training_image        = "registry.example.org/meshfl/training-function:0.1.0"
  object_store          = { bucket = "meshfl-test-federation", region = "eu-west-1", credentials_secret = "retail-s3" }
  registry_token_secret = "retail-registry-token"
  signing_key_secret    = "retail-signing-key"
  schedules = {
    fraud = { cron = "0 2 * * *", timezone = "Europe/Berlin", data_product = "retail.transactions" }
    churn = { cron = "30 3 * * 1" }
  }
}

run "each_domain_gets_its_own_namespace" {
  command = plan
  assert {
    condition     = output.namespace == "meshfl-domain-retail" && output.manifests["00-namespace"].metadata.name == "meshfl-domain-retail"
    error_message = "The domain's namespace is meshfl-domain-{domain}."
  }
  assert {
    condition     = alltrue([for k, m in output.manifests : m.metadata.namespace == "meshfl-domain-retail" if !contains(["00-namespace", "30-round-opened-trigger"], k)])
    error_message = "Everything but the Trigger lives in the domain's namespace."
  }
}

run "round_opened_trigger_filters_type_and_the_domains_models" {
  command = plan
  assert {
    condition     = output.manifests["30-round-opened-trigger"].metadata.namespace == "meshfl-federation" && output.manifests["30-round-opened-trigger"].spec.broker == "meshfl"
    error_message = "The Trigger sits beside the federation's Broker."
  }
  assert {
    condition = output.manifests["30-round-opened-trigger"].spec.filters == [
      { exact = { type = "meshfl.round.opened" } },
      { any = [{ prefix = { subject = "churn/" } }, { prefix = { subject = "fraud/" } }] },
    ]
    error_message = "The Trigger must pass round-opened events of the domain's models only."
  }
  assert {
    condition     = output.manifests["30-round-opened-trigger"].spec.subscriber.ref == { apiVersion = "serving.knative.dev/v1", kind = "Service", name = "training", namespace = "meshfl-domain-retail" }
    error_message = "The Trigger delivers to the domain's training service."
  }
}

run "ping_sources_post_the_training_input" {
  command = plan
  assert {
    condition     = jsondecode(output.manifests["20-schedule-fraud"].spec.data) == { model = "fraud", domain = "retail", dataProduct = "retail.transactions" }
    error_message = "Unexpected PingSource data ${output.manifests["20-schedule-fraud"].spec.data}."
  }
  assert {
    condition     = output.manifests["20-schedule-fraud"].spec.timezone == "Europe/Berlin" && output.manifests["20-schedule-fraud"].spec.sink.uri == "/train"
    error_message = "The PingSource keeps its time zone and posts to /train."
  }
  assert {
    condition     = jsondecode(output.manifests["20-schedule-churn"].spec.data) == { model = "churn", domain = "retail" }
    error_message = "Without a data product the input names model and domain only."
  }
}

run "cronjobs_post_plain_json_to_train" {
  command = plan
  variables {
    schedule_kind = "cronjob"
  }
  assert {
    condition     = output.manifests["20-schedule-fraud"].kind == "CronJob" && output.manifests["20-schedule-fraud"].spec.timeZone == "Europe/Berlin"
    error_message = "schedule_kind = cronjob renders CronJobs."
  }
  assert {
    condition     = contains(output.manifests["20-schedule-fraud"].spec.jobTemplate.spec.template.spec.containers[0].args, "http://training.meshfl-domain-retail.svc.cluster.local/train")
    error_message = "The CronJob posts to the training service's /train."
  }
}

run "training_is_configured_for_libtorch_and_the_domains_secrets" {
  command = plan
  assert {
    condition = alltrue([for e in [
      { name = "DJL_CACHE_DIR", value = "/tmp/djl" },
      { name = "DJL_OFFLINE", value = "true" },
      { name = "MESHFL_TRAINING_DOMAIN", value = "retail" },
      { name = "MESHFL_TRAINING_REGISTRY_TOKEN", valueFrom = { secretKeyRef = { name = "retail-registry-token", key = "token" } } },
      { name = "MESHFL_TRAINING_SIGNING_KEY_FILE", value = "/var/run/secrets/meshfl/signing-key" },
      { name = "MESHFL_OBJECT_STORE_ACCESS_KEY", valueFrom = { secretKeyRef = { name = "retail-s3", key = "access-key" } } },
    ] : contains(output.manifests["10-training"].spec.template.spec.containers[0].env, e)])
    error_message = "The training service lacks part of its configuration."
  }
  assert {
    condition     = output.manifests["10-training"].spec.template.spec.containerConcurrency == 1
    error_message = "One training run per pod."
  }
  assert {
    condition = (output.manifests["10-training"].spec.template.spec.volumes[0].secret.secretName == "retail-signing-key"
      && output.manifests["10-training"].spec.template.spec.containers[0].volumeMounts[0].mountPath == "/var/run/secrets/meshfl"
    && output.manifests["10-training"].spec.template.spec.containers[0].volumeMounts[0].readOnly)
    error_message = "The signing key is the domain's secret, mounted read-only where MESHFL_TRAINING_SIGNING_KEY_FILE points."
  }
}

run "network_policies_keep_domains_apart" {
  command = plan
  assert {
    condition     = output.manifests["90-network-policy-deny"].spec.policyTypes == ["Ingress", "Egress"]
    error_message = "Ingress and egress are denied by default."
  }
  assert {
    condition = [for r in output.manifests["92-network-policy-egress"].spec.egress : jsonencode(r) if can(r.to[0].ipBlock)] == [
      jsonencode({ ports = [{ port = 443, protocol = "TCP" }], to = [{ ipBlock = { cidr = "0.0.0.0/0", except = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] } }] })
    ]
    error_message = "Egress to the internet excludes the cluster's own ranges."
  }
  assert {
    condition     = !anytrue([for r in output.manifests["92-network-policy-egress"].spec.egress : anytrue([for t in r.to : can(t.namespaceSelector.matchLabels["meshfl.io/role"])])])
    error_message = "No egress rule may open other domains' namespaces."
  }
}

run "no_schedules_no_trigger" {
  command = plan
  variables {
    schedules = {}
  }
  assert {
    condition     = !contains(keys(output.manifests), "30-round-opened-trigger")
    error_message = "A domain with no models gets no Trigger."
  }
}

run "rejects_a_six_field_cron" {
  command = plan
  variables {
    schedules = { fraud = { cron = "0 0 2 * * *" } }
  }
  expect_failures = [var.schedules]
}

run "rejects_a_domain_id_with_capitals" {
  command = plan
  variables {
    domain = "Retail"
  }
  expect_failures = [var.domain]
}

# The training container's environment keeps infra/contract/functions.json: every variable is one the
# training function reads, every setting it requires is there, secrets only by reference.
run "training_environment" {
  command = plan
}

run "training_environment_keeps_the_contract" {
  command = plan
  module {
    source = "../../contract-check"
  }
  variables {
    function    = "training"
    environment = { for e in run.training_environment.manifests["10-training"].spec.template.spec.containers[0].env : e.name => can(e.valueFrom) ? "reference" : "value" }
    # What reaches the Service: each PingSource's pings and the types its Triggers pass.
    event_types = concat(
      [for k, m in run.training_environment.manifests : "dev.knative.sources.ping" if m.kind == "PingSource"],
      flatten([for k, m in run.training_environment.manifests : [for f in m.spec.filters : f.exact.type if can(f.exact.type)] if m.kind == "Trigger"]),
    )
  }
  assert {
    condition     = length(var.event_types) == 3
    error_message = "Expected two PingSources and the round-opened Trigger, got ${jsonencode(var.event_types)}."
  }
  assert {
    condition     = output.problems == ""
    error_message = "The training Service's environment breaks the contract: ${output.problems}."
  }
}
