locals {
  namespace = coalesce(var.namespace, "meshfl-domain-${var.domain}")
  labels    = { "app.kubernetes.io/part-of" = "meshfl", "meshfl.io/federation" = var.federation.name, "meshfl.io/domain" = var.domain }

  service_account = "meshfl-training"
  signing_key_dir = "/var/run/secrets/meshfl"
  training_ref    = { apiVersion = "serving.knative.dev/v1", kind = "Service", name = "training", namespace = local.namespace }

  train_input = { for m, s in var.schedules : m => merge(
    { model = m, domain = var.domain },
    s.data_product == null ? {} : { dataProduct = s.data_product },
  ) }

  object_store_env = concat(
    [
      { name = "MESHFL_OBJECT_STORE_BUCKET", value = var.object_store.bucket },
      { name = "MESHFL_OBJECT_STORE_REGION", value = var.object_store.region },
      { name = "MESHFL_OBJECT_STORE_PATH_STYLE", value = tostring(var.object_store.path_style) },
    ],
    var.object_store.endpoint == null ? [] : [{ name = "MESHFL_OBJECT_STORE_ENDPOINT", value = var.object_store.endpoint }],
    var.object_store.credentials_secret == null ? [] : [
      { name = "MESHFL_OBJECT_STORE_ACCESS_KEY", valueFrom = { secretKeyRef = { name = var.object_store.credentials_secret, key = "access-key" } } },
      { name = "MESHFL_OBJECT_STORE_SECRET_KEY", valueFrom = { secretKeyRef = { name = var.object_store.credentials_secret, key = "secret-key" } } },
    ],
  )

  base = {
    "00-namespace" = {
      apiVersion = "v1"
      kind       = "Namespace"
      metadata   = { name = local.namespace, labels = merge(local.labels, { "meshfl.io/role" = "domain" }) }
    }

    "01-service-account" = {
      apiVersion = "v1"
      kind       = "ServiceAccount"
      metadata   = { name = local.service_account, namespace = local.namespace, labels = local.labels, annotations = var.service_account_annotations }
    }

    "10-training" = {
      apiVersion = "serving.knative.dev/v1"
      kind       = "Service"
      metadata = {
        name      = "training"
        namespace = local.namespace
        labels    = merge(local.labels, { "networking.knative.dev/visibility" = "cluster-local" })
      }
      spec = {
        template = {
          metadata = {
            labels      = merge(local.labels, { "meshfl.io/function" = "training" })
            annotations = { "autoscaling.knative.dev/max-scale" = tostring(var.training_max_scale) }
          }
          spec = {
            serviceAccountName = local.service_account
            # One training run per pod: it uses the pod's CPUs and memory on its own.
            containerConcurrency = 1
            timeoutSeconds       = var.training_timeout_seconds
            containers = [{
              name  = "training"
              image = var.training_image
              ports = [{ containerPort = 8080 }]
              env = concat(
                [
                  { name = "MESHFL_TRAINING_DOMAIN", value = var.domain },
                  { name = "MESHFL_REGISTRY_URL", value = var.federation.registry_url },
                  { name = "MESHFL_TRAINING_REGISTRY_TOKEN", valueFrom = { secretKeyRef = { name = var.registry_token_secret, key = "token" } } },
                  # The key is a mounted file, not an environment variable: nothing that dumps the
                  # environment (crash reports, child processes, /proc) sees it.
                  { name = "MESHFL_TRAINING_SIGNING_KEY_FILE", value = "${local.signing_key_dir}/signing-key" },
                  { name = "DJL_OFFLINE", value = "true" },
                  { name = "OPT_OUT_TRACKING", value = "true" },
                  { name = "DJL_CACHE_DIR", value = "/tmp/djl" },
                  { name = "ENGINE_CACHE_DIR", value = "/tmp/djl" },
                ],
                local.object_store_env,
              )
              volumeMounts   = [{ name = "signing-key", mountPath = local.signing_key_dir, readOnly = true }]
              readinessProbe = { httpGet = { path = "/q/health/ready" } }
              resources = {
                requests = { cpu = var.training_resources.cpu, memory = var.training_resources.memory }
                limits   = { memory = var.training_resources.memory }
              }
            }]
            # 0444: the image runs as a non-root user and Knative does not allow an fsGroup by default;
            # the pod has this one container.
            volumes = [{
              name   = "signing-key"
              secret = { secretName = var.signing_key_secret, items = [{ key = "signing-key", path = "signing-key" }], defaultMode = 292 }
            }]
          }
        }
      }
    }

    # Ingress only from the Knative data plane: other domains reach nothing here directly.
    "90-network-policy-deny" = {
      apiVersion = "networking.k8s.io/v1"
      kind       = "NetworkPolicy"
      metadata   = { name = "default-deny", namespace = local.namespace, labels = local.labels }
      spec       = { podSelector = {}, policyTypes = ["Ingress", "Egress"] }
    }
    "91-network-policy-ingress" = {
      apiVersion = "networking.k8s.io/v1"
      kind       = "NetworkPolicy"
      metadata   = { name = "allow-knative-data-plane", namespace = local.namespace, labels = local.labels }
      spec = {
        podSelector = {}
        policyTypes = ["Ingress"]
        ingress = [{
          from = concat(
            [for ns in var.system_namespaces : { namespaceSelector = { matchLabels = { "kubernetes.io/metadata.name" = ns } } }],
            [{ podSelector = {} }],
          )
        }]
      }
    }
    # Egress: DNS, the Knative data plane (the registry's URL goes through it), the object store, and
    # the outside world on 443 — never other pods of the cluster.
    "92-network-policy-egress" = {
      apiVersion = "networking.k8s.io/v1"
      kind       = "NetworkPolicy"
      metadata   = { name = "allow-egress", namespace = local.namespace, labels = local.labels }
      spec = {
        podSelector = {}
        policyTypes = ["Egress"]
        egress = concat(
          [
            {
              to    = [{ namespaceSelector = { matchLabels = { "kubernetes.io/metadata.name" = "kube-system" } } }]
              ports = [{ protocol = "UDP", port = 53 }, { protocol = "TCP", port = 53 }]
            },
            { to = [for ns in var.system_namespaces : { namespaceSelector = { matchLabels = { "kubernetes.io/metadata.name" = ns } } }] },
            { to = [{ podSelector = {} }] },
            {
              to    = [{ ipBlock = { cidr = "0.0.0.0/0", except = var.cluster_cidrs } }]
              ports = [{ protocol = "TCP", port = 443 }]
            },
          ],
          length(var.object_store_cidrs) == 0 ? [] : [{ to = [for c in var.object_store_cidrs : { ipBlock = { cidr = c } }] }],
        )
      }
    }
  }

  ping_sources = { for m, s in var.schedules : "20-schedule-${m}" => {
    apiVersion = "sources.knative.dev/v1"
    kind       = "PingSource"
    metadata   = { name = "train-${m}", namespace = local.namespace, labels = local.labels }
    spec = {
      schedule    = s.cron
      timezone    = s.timezone
      contentType = "application/json"
      data        = jsonencode(local.train_input[m])
      sink        = { ref = local.training_ref, uri = "/train" }
    }
  } if var.schedule_kind == "pingsource" }

  cron_jobs = { for m, s in var.schedules : "20-schedule-${m}" => {
    apiVersion = "batch/v1"
    kind       = "CronJob"
    metadata   = { name = "train-${m}", namespace = local.namespace, labels = local.labels }
    spec = {
      schedule          = s.cron
      timeZone          = s.timezone
      concurrencyPolicy = "Forbid"
      jobTemplate = {
        spec = {
          backoffLimit = 2
          template = {
            metadata = { labels = local.labels }
            spec = {
              restartPolicy = "Never"
              containers = [{
                name  = "trigger"
                image = var.cronjob_image
                args = [
                  "--fail-with-body", "--silent", "--show-error", "--max-time", tostring(var.training_timeout_seconds),
                  "-H", "Content-Type: application/json",
                  "-d", jsonencode(local.train_input[m]),
                  "http://training.${local.namespace}.svc.cluster.local/train",
                ]
              }]
            }
          }
        }
      }
    }
  } if var.schedule_kind == "cronjob" }

  # Triggers must sit beside their Broker, in the federation's namespace; the subscriber is in ours.
  # Round events carry subject "{model}/{round}": the domain hears only its models' rounds.
  round_trigger = { for k, v in {
    "30-round-opened-trigger" = {
      apiVersion = "eventing.knative.dev/v1"
      kind       = "Trigger"
      metadata   = { name = "train-${var.domain}-round-opened", namespace = var.federation.namespace, labels = local.labels }
      spec = {
        broker = var.federation.broker_name
        filters = [
          { exact = { type = "meshfl.round.opened" } },
          { any = [for m in sort(keys(var.schedules)) : { prefix = { subject = "${m}/" } }] },
        ]
        subscriber = { ref = local.training_ref }
        delivery   = { retry = 3, backoffPolicy = "exponential", backoffDelay = "PT5S" }
      }
    }
  } : k => v if var.trigger_on_round_opened && length(var.schedules) > 0 }

  # Vertical models: the bucket's object events (the same CloudEvent type the aggregation's Trigger takes). Knative
  # filters on attributes only, not on the key inside the data, so the function does the routing by key.
  vertical_trigger = { for k, v in {
    "31-vertical-trigger" = {
      apiVersion = "eventing.knative.dev/v1"
      kind       = "Trigger"
      metadata   = { name = "vertical-${var.domain}-object-created", namespace = var.federation.namespace, labels = local.labels }
      spec = {
        broker     = var.federation.broker_name
        filter     = { attributes = { type = "dev.knative.connector.event.aws-sqs" } }
        subscriber = { ref = local.training_ref }
        delivery   = { retry = 3, backoffPolicy = "exponential", backoffDelay = "PT5S" }
      }
    }
    # The registry's meshfl.vround.opened starts each vertical round (the package maps the type to
    # vertical-round-opened, which reads the round from the registry and starts it only if it is OPEN and the domain
    # is a party; other models' rounds are ignored).
    "32-vertical-round-opened-trigger" = {
      apiVersion = "eventing.knative.dev/v1"
      kind       = "Trigger"
      metadata   = { name = "vertical-${var.domain}-round-opened", namespace = var.federation.namespace, labels = local.labels }
      spec = {
        broker     = var.federation.broker_name
        filter     = { attributes = { type = "meshfl.vround.opened" } }
        subscriber = { ref = local.training_ref }
        delivery   = { retry = 3, backoffPolicy = "exponential", backoffDelay = "PT5S" }
      }
    }
  } : k => v if var.vertical }

  # A domain that runs the head of a vertical model (no label sharing): a round whose party never writes would wait
  # for ever, since no object event reaches the head again. On a schedule a CronJob posts the sweep input to the
  # training Service's /vertical as plain JSON (a PingSource's type is mapped to train, which would take it); the head
  # lists, with the domain's registry token, the due rounds of the models whose head it runs, fails each with
  # outcome.json naming the missing parties, and records that in the registry.
  vertical_sweep = { for k, v in {
    "33-vertical-sweep" = {
      apiVersion = "batch/v1"
      kind       = "CronJob"
      metadata   = { name = "vertical-sweep", namespace = local.namespace, labels = local.labels }
      spec = {
        schedule          = var.vertical_sweep_schedule
        concurrencyPolicy = "Forbid"
        jobTemplate = {
          spec = {
            backoffLimit = 0
            template = {
              metadata = { labels = local.labels }
              spec = {
                restartPolicy = "Never"
                containers = [{
                  name  = "sweep"
                  image = var.cronjob_image
                  args = [
                    "--fail-with-body", "--silent", "--show-error", "--max-time", tostring(var.training_timeout_seconds),
                    "-H", "Content-Type: application/json",
                    "-d", jsonencode({ sweep = "vertical-rounds" }),
                    "http://training.${local.namespace}.svc.cluster.local/vertical",
                  ]
                }]
              }
            }
          }
        }
      }
    }
  } : k => v if var.vertical && var.vertical_head }

  manifests = merge(local.base, local.ping_sources, local.cron_jobs, local.round_trigger, local.vertical_trigger,
  local.vertical_sweep)
}
