locals {
  labels = { "app.kubernetes.io/part-of" = "meshfl", "meshfl.io/federation" = var.name }

  service_account    = "meshfl-functions"
  registry_token_dir = "/var/run/secrets/meshfl/registry-token"
  registry_url       = "http://registry.${var.namespace}.svc.cluster.local"
  broker_ref         = { apiVersion = "eventing.knative.dev/v1", kind = "Broker", name = var.broker_name, namespace = var.namespace }
  # What the aws-sqs IntegrationSource emits (Knative Eventing >= 1.17); the data is the SQS message body,
  # i.e. the S3 event notification (or the EventBridge event rewritten to one).
  object_created_type = "dev.knative.connector.event.aws-sqs"

  secret_env = { for e in [
    { name = "MESHFL_OBJECT_STORE_ACCESS_KEY", secret = var.object_store.credentials_secret, key = "access-key" },
    { name = "MESHFL_OBJECT_STORE_SECRET_KEY", secret = var.object_store.credentials_secret, key = "secret-key" },
  ] : e.name => e if e.secret != null }

  object_store_env = concat(
    [
      { name = "MESHFL_OBJECT_STORE_BUCKET", value = var.object_store.bucket },
      { name = "MESHFL_OBJECT_STORE_REGION", value = var.object_store.region },
      { name = "MESHFL_OBJECT_STORE_PATH_STYLE", value = tostring(var.object_store.path_style) },
    ],
    var.object_store.endpoint == null ? [] : [{ name = "MESHFL_OBJECT_STORE_ENDPOINT", value = var.object_store.endpoint }],
    [for name, e in local.secret_env : { name = name, valueFrom = { secretKeyRef = { name = e.secret, key = e.key } } }],
  )

  # The aggregation's scratch space, as for the Lambdas (federation-aws): (domains + 6) x model size x 1.25.
  # Requested and limited as ephemeral storage, so the pod lands on a node with the room and cannot fill it.
  aggregation_scratch_mi = var.max_model_size_mb == null ? 1024 : ceil((var.max_domains_per_round + 6) * var.max_model_size_mb * 1.25)

  delivery = merge(
    { retry = var.delivery_retries, backoffPolicy = "exponential", backoffDelay = "PT1S" },
    var.dead_letter_uri == null ? {} : { deadLetterSink = { uri = var.dead_letter_uri } },
  )

  manifests = merge(
    {
      "00-namespace" = {
        apiVersion = "v1"
        kind       = "Namespace"
        metadata   = { name = var.namespace, labels = merge(local.labels, { "meshfl.io/role" = "federation" }) }
      }

      "01-service-account" = {
        apiVersion = "v1"
        kind       = "ServiceAccount"
        metadata   = { name = local.service_account, namespace = var.namespace, labels = local.labels, annotations = var.service_account_annotations }
      }

      "10-registry" = {
        apiVersion = "serving.knative.dev/v1"
        kind       = "Service"
        metadata = {
          name      = "registry"
          namespace = var.namespace
          labels    = merge(local.labels, var.registry_visibility == "cluster-local" ? { "networking.knative.dev/visibility" = "cluster-local" } : {})
        }
        spec = {
          template = {
            metadata = {
              labels      = merge(local.labels, { "meshfl.io/function" = "registry" })
              annotations = { "autoscaling.knative.dev/min-scale" = tostring(var.registry_min_scale) }
            }
            spec = {
              serviceAccountName = local.service_account
              containers = [{
                name  = "registry"
                image = var.registry_image
                ports = [{ containerPort = 8080 }]
                env = [
                  { name = "QUARKUS_DATASOURCE_REACTIVE_URL", value = "postgresql://${var.database.host}:${var.database.port}/${var.database.name}" },
                  { name = "QUARKUS_DATASOURCE_JDBC_URL", value = "jdbc:postgresql://${var.database.host}:${var.database.port}/${var.database.name}" },
                  { name = "QUARKUS_DATASOURCE_USERNAME", valueFrom = { secretKeyRef = { name = var.database.credentials_secret, key = "username" } } },
                  { name = "QUARKUS_DATASOURCE_PASSWORD", valueFrom = { secretKeyRef = { name = var.database.credentials_secret, key = "password" } } },
                  { name = "MP_JWT_VERIFY_ISSUER", value = var.jwt.issuer },
                  { name = "MP_JWT_VERIFY_PUBLICKEY", valueFrom = { secretKeyRef = { name = var.jwt.public_key_secret, key = "public-key" } } },
                  # Round events as binary-mode CloudEvents to K_SINK, which the SinkBinding below injects (the Broker).
                  { name = "MP_MESSAGING_OUTGOING_ROUND_EVENTS_CONNECTOR", value = "meshfl-cloudevents-http" },
                ]
                readinessProbe = { httpGet = { path = "/q/health/ready" } }
                livenessProbe  = { httpGet = { path = "/q/health/live" } }
                resources      = { requests = { cpu = "250m", memory = "256Mi" }, limits = { memory = "512Mi" } }
              }]
            }
          }
        }
      }

      # Gives the registry K_SINK = the Broker's address for its round events (meshfl.round.opened, ...).
      "11-registry-sink-binding" = {
        apiVersion = "sources.knative.dev/v1"
        kind       = "SinkBinding"
        metadata   = { name = "registry-round-events", namespace = var.namespace, labels = local.labels }
        spec = {
          subject = { apiVersion = "serving.knative.dev/v1", kind = "Service", name = "registry" }
          sink    = { ref = local.broker_ref }
        }
      }

      "20-aggregation" = {
        apiVersion = "serving.knative.dev/v1"
        kind       = "Service"
        metadata = {
          name      = "aggregation"
          namespace = var.namespace
          labels    = merge(local.labels, { "networking.knative.dev/visibility" = "cluster-local" })
        }
        spec = {
          template = {
            metadata = {
              labels      = merge(local.labels, { "meshfl.io/function" = "aggregation" })
              annotations = { "autoscaling.knative.dev/max-scale" = tostring(var.aggregation_max_scale) }
            }
            spec = {
              serviceAccountName = local.service_account
              timeoutSeconds     = var.aggregation_timeout_seconds
              containers = [{
                name  = "aggregation"
                image = var.aggregation_image
                ports = [{ containerPort = 8080 }]
                # No QUARKUS_FUNQY_EXPORT: Funqy's Knative binding would send every CloudEvent to the exported
                # function; without it, events route by type (the package's mappings): the aws-sqs events to
                # aggregate, the sweep PingSource's to sweep. The webhook POSTs /aggregate (path routing).
                env = concat(
                  [
                    # Outlives the request timeout, so a live aggregation's round close is never taken over.
                    { name = "MESHFL_AGGREGATION_LEASE", value = "PT${var.aggregation_timeout_seconds + 60}S" },
                    { name = "MESHFL_REGISTRY_URL", value = local.registry_url },
                    # A mounted file, not an environment variable: the kubelet refreshes it when the Secret
                    # changes and the function reads it again, so the token rotates without a restart.
                    { name = "MESHFL_REGISTRY_TOKEN_FILE", value = "${local.registry_token_dir}/token" },
                  ],
                  local.object_store_env,
                  # Sharded aggregation (issue 18): set only when given, otherwise the function's defaults apply.
                  var.aggregation_max_bytes_per_invocation == null ? [] : [{ name = "MESHFL_AGGREGATION_SHARDING_MAX_BYTES_PER_INVOCATION", value = tostring(var.aggregation_max_bytes_per_invocation) }],
                  var.aggregation_tree_fanout == null ? [] : [{ name = "MESHFL_AGGREGATION_SHARDING_FANOUT", value = tostring(var.aggregation_tree_fanout) }],
                )
                volumeMounts   = [{ name = "registry-token", mountPath = local.registry_token_dir, readOnly = true }]
                readinessProbe = { httpGet = { path = "/q/health/ready" } }
                resources = {
                  requests = { cpu = "500m", memory = "512Mi", "ephemeral-storage" = "${local.aggregation_scratch_mi}Mi" }
                  limits   = { memory = "1Gi", "ephemeral-storage" = "${local.aggregation_scratch_mi}Mi" }
                }
              }]
              # 0444: the image runs as a non-root user; the pod has this one container.
              volumes = [{
                name   = "registry-token"
                secret = { secretName = var.aggregation_token_secret, items = [{ key = "token", path = "token" }], defaultMode = 292 }
              }]
            }
          }
        }
      }

      # The sweeper (issue 15): every minute by default, ends the rounds that are due (deadline passed,
      # aggregation lease expired). Straight to the aggregation Service, whose `sweep` function the
      # package maps to this type: a sweep carries no data and needs no Broker retries, since the next ping
      # does the same work; and it works on both update event paths (the webhook one has no Trigger). The
      # PingSource adapter runs in knative-eventing, which the NetworkPolicy below admits.
      "21-sweep-schedule" = {
        apiVersion = "sources.knative.dev/v1"
        kind       = "PingSource"
        metadata   = { name = "sweep", namespace = var.namespace, labels = local.labels }
        spec = merge(
          {
            schedule    = var.sweep_schedule
            contentType = "application/json"
            data        = "{}"
            sink        = { ref = { apiVersion = "serving.knative.dev/v1", kind = "Service", name = "aggregation", namespace = var.namespace } }
          },
          var.sweep_timezone == null ? {} : { timezone = var.sweep_timezone },
        )
      }

      "30-broker" = {
        apiVersion = "eventing.knative.dev/v1"
        kind       = "Broker"
        metadata   = { name = var.broker_name, namespace = var.namespace, labels = local.labels }
        spec       = { delivery = local.delivery }
      }

      # Ingress only from the Knative data plane (activator, ingress gateway, broker filter) and the
      # namespace itself; domains reach the registry through the ingress, never pod to pod.
      "90-network-policy-deny" = {
        apiVersion = "networking.k8s.io/v1"
        kind       = "NetworkPolicy"
        metadata   = { name = "default-deny-ingress", namespace = var.namespace, labels = local.labels }
        spec       = { podSelector = {}, policyTypes = ["Ingress"] }
      }
      "91-network-policy-knative" = {
        apiVersion = "networking.k8s.io/v1"
        kind       = "NetworkPolicy"
        metadata   = { name = "allow-knative-data-plane", namespace = var.namespace, labels = local.labels }
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
    },
    # The Terraform conditional needs one type for both branches: filter an object instead.
    { for k, v in {
      "31-update-events-source" = {
        apiVersion = "sources.knative.dev/v1alpha1"
        kind       = "IntegrationSource"
        metadata   = { name = "update-events", namespace = var.namespace, labels = local.labels }
        spec = {
          aws = {
            sqs = {
              arn    = var.update_events.queue_arn
              region = var.update_events.region
              # Deleting after read is right for a queue: the Broker now holds the event and retries it.
              deleteAfterRead = true
            }
            auth = jsondecode(var.update_events.aws_secret != null
              ? jsonencode({ secret = { ref = { name = var.update_events.aws_secret } } })
            : jsonencode({ serviceAccountName = var.update_events.service_account }))
          }
          sink = { ref = local.broker_ref }
        }
      }
      "32-aggregation-trigger" = {
        apiVersion = "eventing.knative.dev/v1"
        kind       = "Trigger"
        metadata   = { name = "aggregation-object-created", namespace = var.namespace, labels = local.labels }
        spec = {
          broker     = var.broker_name
          filter     = { attributes = { type = local.object_created_type } }
          subscriber = { ref = { apiVersion = "serving.knative.dev/v1", kind = "Service", name = "aggregation", namespace = var.namespace } }
          delivery   = local.delivery
        }
      }
    } : k => v if var.update_events.source == "aws-sqs" },
    # The governance-side vertical head (labels shared): the training image with the head's identity. Its events
    # are the same object events as the aggregation's (one IntegrationSource, one type); the function keeps the
    # keys that are the head's (embeddings, its state, round settings) and ignores the rest.
    { for k, v in {
      "40-vertical-head" = {
        apiVersion = "serving.knative.dev/v1"
        kind       = "Service"
        metadata = {
          name      = "vertical-head"
          namespace = var.namespace
          labels    = merge(local.labels, { "networking.knative.dev/visibility" = "cluster-local" })
        }
        spec = {
          template = {
            metadata = {
              labels      = merge(local.labels, { "meshfl.io/function" = "vertical-head" })
              annotations = { "autoscaling.knative.dev/max-scale" = tostring(try(var.vertical_head.max_scale, 4)) }
            }
            spec = {
              serviceAccountName = local.service_account
              containers = [{
                name  = "vertical-head"
                image = try(var.vertical_head.training_image, "")
                ports = [{ containerPort = 8080 }]
                # QUARKUS_FUNQY_EXPORT=vertical: Funqy's Knative binding then sends every CloudEvent to `vertical`,
                # the object events and the sweep PingSource's, whose type (dev.knative.sources.ping) this package
                # otherwise maps to `train` whatever the path (KnativeVerticalHeadTest). The head never trains.
                env = concat(
                  [
                    { name = "QUARKUS_FUNQY_EXPORT", value = "vertical" },
                    { name = "MESHFL_TRAINING_DOMAIN", value = "governance" },
                    { name = "MESHFL_REGISTRY_URL", value = local.registry_url },
                    { name = "MESHFL_TRAINING_REGISTRY_TOKEN", valueFrom = { secretKeyRef = { name = try(var.vertical_head.registry_token_secret, ""), key = "token" } } },
                    { name = "MESHFL_TRAINING_SIGNING_KEY_FILE", value = "/var/run/secrets/meshfl/signing-key" },
                    { name = "DJL_OFFLINE", value = "true" },
                    { name = "OPT_OUT_TRACKING", value = "true" },
                    { name = "DJL_CACHE_DIR", value = "/tmp/djl" },
                    { name = "ENGINE_CACHE_DIR", value = "/tmp/djl" },
                  ],
                  [for e in local.object_store_env : e if !contains(keys(local.secret_env), e.name)],
                  try(var.vertical_head.credentials_secret, null) == null ? [] : [
                    { name = "MESHFL_OBJECT_STORE_ACCESS_KEY", valueFrom = { secretKeyRef = { name = var.vertical_head.credentials_secret, key = "access-key" } } },
                    { name = "MESHFL_OBJECT_STORE_SECRET_KEY", valueFrom = { secretKeyRef = { name = var.vertical_head.credentials_secret, key = "secret-key" } } },
                  ],
                )
                volumeMounts   = [{ name = "signing-key", mountPath = "/var/run/secrets/meshfl", readOnly = true }]
                readinessProbe = { httpGet = { path = "/q/health/ready" } }
                resources = {
                  requests = { cpu = try(var.vertical_head.cpu, "1"), memory = try(var.vertical_head.memory, "2Gi") }
                  limits   = { memory = try(var.vertical_head.memory, "2Gi") }
                }
              }]
              volumes = [{
                name   = "signing-key"
                secret = { secretName = try(var.vertical_head.signing_key_secret, ""), items = [{ key = "signing-key", path = "signing-key" }], defaultMode = 292 }
              }]
            }
          }
        }
      }
      "41-vertical-head-trigger" = {
        apiVersion = "eventing.knative.dev/v1"
        kind       = "Trigger"
        metadata   = { name = "vertical-head-object-created", namespace = var.namespace, labels = local.labels }
        spec = {
          broker     = var.broker_name
          filter     = { attributes = { type = local.object_created_type } }
          subscriber = { ref = { apiVersion = "serving.knative.dev/v1", kind = "Service", name = "vertical-head", namespace = var.namespace } }
          delivery   = local.delivery
        }
      }
      # The registry's meshfl.vround.opened starts each round of the head's models (the Service exports vertical,
      # which tells the type apart, reads the round from the registry and starts it only if it is OPEN).
      "43-vertical-head-round-opened-trigger" = {
        apiVersion = "eventing.knative.dev/v1"
        kind       = "Trigger"
        metadata   = { name = "vertical-head-round-opened", namespace = var.namespace, labels = local.labels }
        spec = {
          broker     = var.broker_name
          filter     = { attributes = { type = "meshfl.vround.opened" } }
          subscriber = { ref = { apiVersion = "serving.knative.dev/v1", kind = "Service", name = "vertical-head", namespace = var.namespace } }
          delivery   = local.delivery
        }
      }
      # The vertical deadline sweep: a round whose party never writes would wait for ever, since no object event
      # reaches the head again. On the sweeper's schedule, the head's `vertical` function (the Service exports it,
      # so the ping reaches it) lists the registry's OPEN vertical rounds past their deadline, fails each with
      # outcome.json naming the missing parties, and records that in the registry.
      "42-vertical-sweep-schedule" = {
        apiVersion = "sources.knative.dev/v1"
        kind       = "PingSource"
        metadata   = { name = "vertical-sweep", namespace = var.namespace, labels = local.labels }
        spec = merge(
          {
            schedule    = var.sweep_schedule
            contentType = "application/json"
            data        = jsonencode({ sweep = "vertical-rounds" })
            sink        = { ref = { apiVersion = "serving.knative.dev/v1", kind = "Service", name = "vertical-head", namespace = var.namespace } }
          },
          var.sweep_timezone == null ? {} : { timezone = var.sweep_timezone },
        )
      }
    } : k => v if var.vertical_head != null && (k != "41-vertical-head-trigger" || var.update_events.source == "aws-sqs") },
    # Who may send to the Broker (Knative Eventing >= 1.15, enforced where authentication-oidc is on): the
    # registry, through its SinkBinding's OIDC identity, and the aws-sqs source; no other pod, a domain's
    # included, can post round or object events there. Without the feature the policy is inert.
    { for k, v in {
      "33-broker-senders" = {
        apiVersion = "eventing.knative.dev/v1alpha1"
        kind       = "EventPolicy"
        metadata   = { name = "broker-senders", namespace = var.namespace, labels = local.labels }
        spec = {
          to = [{ ref = { apiVersion = local.broker_ref.apiVersion, kind = "Broker", name = var.broker_name } }]
          from = concat(
            [{ ref = { apiVersion = "sources.knative.dev/v1", kind = "SinkBinding", name = "registry-round-events", namespace = var.namespace } }],
            var.update_events.source == "aws-sqs" ? [{ ref = { apiVersion = "sources.knative.dev/v1alpha1", kind = "IntegrationSource", name = "update-events", namespace = var.namespace } }] : [],
          )
        }
      }
    } : k => v if var.restrict_broker_senders },
  )
}
