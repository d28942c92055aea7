variable "name" {
  description = "Name of the federation (label value on every object)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name))
    error_message = "name must be 3-24 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "namespace" {
  description = "Namespace of the registry, the aggregation function and the Broker."
  type        = string
  default     = "meshfl-federation"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS label."
  }
}

variable "broker_name" {
  description = "Name of the Knative Broker that carries object-created and round events."
  type        = string
  default     = "meshfl"
}

variable "registry_image" {
  description = "Image of the registry function (native-build/build.sh knative-image registry-function)."
  type        = string

  validation {
    condition     = can(regex("^[^\\s]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$", var.registry_image))
    error_message = "registry_image must carry a tag or a digest."
  }
}

variable "aggregation_image" {
  description = "Image of the aggregation function (native-build/build.sh knative-image aggregation-function)."
  type        = string

  validation {
    condition     = can(regex("^[^\\s]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$", var.aggregation_image))
    error_message = "aggregation_image must carry a tag or a digest."
  }
}

variable "sweep_schedule" {
  description = "Cron schedule (five fields, or @every/@hourly/...) of the PingSource that triggers the sweeper: how often rounds past their deadline or with an expired aggregation lease are ended. A round ends at most one period after its deadline."
  type        = string
  default     = "* * * * *"

  validation {
    condition     = length(regexall("\\S+", var.sweep_schedule)) == 5 || can(regex("^@(yearly|annually|monthly|weekly|daily|midnight|hourly|every [0-9]+(\\.[0-9]+)?(ms|s|m|h)([0-9]+(ms|s|m|h))*)$", var.sweep_schedule))
    error_message = "sweep_schedule must be a five-field cron expression (e.g. \"* * * * *\") or @every <duration>/@hourly/@daily/..."
  }
}

variable "sweep_timezone" {
  description = "IANA time zone of sweep_schedule; null: the PingSource adapter's (UTC unless configured)."
  type        = string
  default     = null
}

variable "object_store" {
  description = <<-EOT
    The federation bucket and how to reach it: region; endpoint and path_style for an S3-compatible store
    (MinIO, Ceph); credentials_secret (keys access-key, secret-key) unless the pods get credentials from
    their service account (IRSA / Pod Identity, see service_account_annotations).
  EOT
  type = object({
    bucket             = string
    region             = optional(string, "us-east-1")
    endpoint           = optional(string)
    path_style         = optional(bool, false)
    credentials_secret = optional(string)
  })

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.object_store.bucket))
    error_message = "object_store.bucket must be a valid bucket name."
  }

  validation {
    condition     = var.object_store.endpoint == null || can(regex("^https?://", var.object_store.endpoint))
    error_message = "object_store.endpoint must be an http(s) URL."
  }
}

variable "update_events" {
  description = <<-EOT
    How object-created events for update keys reach the aggregation function.
    aws-sqs: an IntegrationSource reads the SQS queue that S3 (or an EventBridge rule) feeds and posts
    CloudEvents of type dev.knative.connector.event.aws-sqs to the Broker; auth through aws_secret (keys
    aws.accessKey, aws.secretKey) or service_account.
    webhook: an S3-compatible store (MinIO) posts its notifications to the aggregation service directly.
    The aws-s3 IntegrationSource is deliberately not offered: it polls object contents and deletes the
    objects it read by default.
  EOT
  type = object({
    source          = string
    queue_arn       = optional(string)
    region          = optional(string)
    aws_secret      = optional(string)
    service_account = optional(string)
  })

  validation {
    condition     = contains(["aws-sqs", "webhook"], var.update_events.source)
    error_message = "update_events.source must be aws-sqs or webhook (never aws-s3: it consumes the objects)."
  }

  validation {
    condition = var.update_events.source != "aws-sqs" || (
      can(regex("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:.+$", var.update_events.queue_arn))
      && var.update_events.region != null
      && (var.update_events.aws_secret == null) != (var.update_events.service_account == null)
    )
    error_message = "aws-sqs needs queue_arn (an SQS ARN), region, and exactly one of aws_secret and service_account."
  }
}

variable "database" {
  description = "The registry's PostgreSQL (operated by the platform, e.g. CloudNativePG): host, port, database name, and a Secret with keys username and password."
  type = object({
    host               = string
    port               = optional(number, 5432)
    name               = optional(string, "meshfl")
    credentials_secret = string
  })
}

variable "jwt" {
  description = "Token verification for the registry: issuer, and a Secret whose key public-key holds the issuer's RSA public key (PEM)."
  type = object({
    issuer            = string
    public_key_secret = string
  })
}

variable "aggregation_token_secret" {
  description = "Secret whose key token holds the aggregation function's registry JWT (role function)."
  type        = string
}

variable "registry_visibility" {
  description = "public: the registry is reachable through the cluster's ingress (the governance calls it); cluster-local: only inside the cluster."
  type        = string
  default     = "public"

  validation {
    condition     = contains(["public", "cluster-local"], var.registry_visibility)
    error_message = "registry_visibility must be public or cluster-local."
  }
}

variable "registry_min_scale" {
  description = "Minimum registry pods (0 lets it scale to zero; the first call then waits for a start)."
  type        = number
  default     = 1

  validation {
    condition     = var.registry_min_scale >= 0
    error_message = "registry_min_scale must not be negative."
  }
}

variable "aggregation_max_scale" {
  description = "Most aggregation pods. The registry's compare-and-set keeps one winner per round whatever this is."
  type        = number
  default     = 5

  validation {
    condition     = var.aggregation_max_scale >= 1
    error_message = "aggregation_max_scale must be at least 1."
  }
}

variable "aggregation_timeout_seconds" {
  description = "Request timeout of the aggregation service (Knative's max-revision-timeout-seconds, 600 by default, caps it)."
  type        = number
  default     = 300

  validation {
    condition     = var.aggregation_timeout_seconds >= 10 && var.aggregation_timeout_seconds <= 3600
    error_message = "aggregation_timeout_seconds must be between 10 and 3600."
  }
}

variable "aggregation_max_bytes_per_invocation" {
  description = "Most update bytes one aggregation invocation reads (MESHFL_AGGREGATION_SHARDING_MAX_BYTES_PER_INVOCATION); a larger round is aggregated in byte-range shards through a tree of partial sums (docs/sharded-aggregation.md). Null: the function's default, 10 GiB (one Lambda invocation's memory and /tmp). Size it from the timeout and the object store's read rate. The module routes the tree's objects (models/*/tmp/*-tree-*/*) to the function."
  type        = number
  default     = null

  validation {
    condition     = var.aggregation_max_bytes_per_invocation == null || try(var.aggregation_max_bytes_per_invocation >= 1, false)
    error_message = "aggregation_max_bytes_per_invocation must be at least 1 (or null for the function's default)."
  }
}

variable "aggregation_tree_fanout" {
  description = "Fan-in of a sharded round's tree of partial sums (MESHFL_AGGREGATION_SHARDING_FANOUT): updates per leaf, partials per node above. Null: the function's default, 10."
  type        = number
  default     = null

  validation {
    condition     = var.aggregation_tree_fanout == null || try(var.aggregation_tree_fanout >= 2, false)
    error_message = "aggregation_tree_fanout must be at least 2 (or null for the function's default)."
  }
}

variable "delivery_retries" {
  description = "Broker/Trigger delivery retries (exponential back-off) before an event is dropped or dead-lettered."
  type        = number
  default     = 5
}

variable "dead_letter_uri" {
  description = "Optional dead-letter sink URI for events the aggregation could not take."
  type        = string
  default     = null
}

variable "service_account_annotations" {
  description = "Annotations of the functions' service account, e.g. eks.amazonaws.com/role-arn for IRSA."
  type        = map(string)
  default     = {}
}

variable "system_namespaces" {
  description = "Namespaces whose pods deliver traffic to Knative services (activator, ingress gateway, broker filter). Ingress is allowed from these only."
  type        = list(string)
  default     = ["knative-serving", "knative-eventing", "kourier-system"]
}

variable "max_model_size_mb" {
  description = "Size in MB of the largest model's safetensors file in this federation. Sizes the aggregation Service's ephemeral storage (its /tmp): strategies that read each update twice (Krum, Multi-Krum, DP-FedAvg) keep every accepted update, the global model, the strategy state and both outputs there at once. null: 1 GiB."
  type        = number
  default     = null

  validation {
    condition     = coalesce(var.max_model_size_mb, 1) > 0
    error_message = "max_model_size_mb must be positive."
  }
}

variable "max_domains_per_round" {
  description = "Most updates one round accepts (the models' maxDomains). Used with max_model_size_mb."
  type        = number
  default     = 10

  validation {
    condition     = var.max_domains_per_round >= 1
    error_message = "max_domains_per_round must be at least 1."
  }
}

variable "restrict_broker_senders" {
  description = "Render an EventPolicy that admits only the registry's SinkBinding and the aws-sqs source to the Broker. Needs Knative Eventing >= 1.15 (the EventPolicy CRD); enforced where the authentication-oidc feature is enabled. Set false on older clusters."
  type        = bool
  default     = true
}

variable "vertical_head" {
  description = <<-EOT
    The governance-side head of vertical models whose labels are shared with the governance (functions/vertical):
    the training image deployed once more in the federation namespace as the Service vertical-head, with
    MESHFL_TRAINING_DOMAIN=governance, its own object-store identity (credentials_secret, keys access-key and
    secret-key, unless the service account carries one) allowed what policies' vertical_head_policy allows, its
    Ed25519 signing key (signing_key_secret, key signing-key, mounted as a file) that signs the gradients, and a
    registry token (registry_token_secret, key token; the vertical steps do not call the registry yet, the
    package requires it). A Trigger delivers the aws-sqs IntegrationSource's object events to it; the package
    maps that type to its `vertical` function. Null: no head on the governance side.
  EOT
  type = object({
    training_image        = string
    signing_key_secret    = string
    registry_token_secret = string
    credentials_secret    = optional(string)
    cpu                   = optional(string, "1")
    memory                = optional(string, "2Gi")
    max_scale             = optional(number, 4)
  })
  default = null
}
