variable "federation" {
  description = "The federation-knative module's outputs this domain plugs into: name, namespace, broker_name, registry_url."
  type = object({
    name         = string
    namespace    = string
    broker_name  = string
    registry_url = string
  })
}

variable "domain" {
  description = "Domain id, as enrolled in the registry and used in update keys models/{model}/rounds/{r}/updates/{domain}.safetensors."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", var.domain))
    error_message = "domain must be 2-32 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "namespace" {
  description = "The domain's namespace; null gives meshfl-domain-{domain}. One namespace per domain: its Secrets and pods are its own."
  type        = string
  default     = null

  validation {
    condition     = var.namespace == null || can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS label."
  }
}

variable "training_image" {
  description = "Image of the training function (JVM mode; native-build/build.sh knative-image training-function)."
  type        = string

  validation {
    condition     = can(regex("^[^\\s]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$", var.training_image))
    error_message = "training_image must carry a tag or a digest."
  }
}

variable "object_store" {
  description = <<-EOT
    The federation bucket as this domain reaches it, with the domain's own credentials: credentials_secret
    (keys access-key, secret-key, in the domain's namespace) limited to reading its data and the global
    models and writing its own update keys (the policies module's domain policy, or the same rules as an
    S3-compatible store's user policy). Null credentials_secret: credentials from the service account.
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
}

variable "registry_token_secret" {
  description = "Secret (domain namespace) whose key token holds the domain's registry JWT (role domain, claim domain)."
  type        = string
}

variable "signing_key_secret" {
  description = "Secret (domain namespace) whose key signing-key holds the domain's Ed25519 private key (PKCS#8 PEM as openssl writes it, or bare Base64 DER). Mounted read-only as a file (MESHFL_TRAINING_SIGNING_KEY_FILE), never an environment variable."
  type        = string
}

variable "schedules" {
  description = "Training triggers by model id: a cron expression (five fields), its time zone, and optionally the data product."
  type = map(object({
    cron         = string
    timezone     = optional(string, "UTC")
    data_product = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for m, s in var.schedules : length(split(" ", trimspace(s.cron))) == 5])
    error_message = "Every schedules[*].cron must be a five-field cron expression."
  }

  validation {
    condition     = alltrue([for m in keys(var.schedules) : can(regex("^[a-z0-9][a-z0-9._-]{0,62}$", m))])
    error_message = "schedules must be keyed by model id."
  }
}

variable "schedule_kind" {
  description = "pingsource (Knative PingSource posting a CloudEvent to /train) or cronjob (a Kubernetes CronJob posting plain JSON to /train with curl)."
  type        = string
  default     = "pingsource"

  validation {
    condition     = contains(["pingsource", "cronjob"], var.schedule_kind)
    error_message = "schedule_kind must be pingsource or cronjob."
  }
}

variable "cronjob_image" {
  description = "Image with curl for schedule_kind = cronjob."
  type        = string
  default     = "docker.io/curlimages/curl:8.11.1"
}

variable "trigger_on_round_opened" {
  description = "Subscribe the training service to meshfl.round.opened events of the scheduled models on the federation's Broker."
  type        = bool
  default     = true
}

variable "training_timeout_seconds" {
  description = "Request timeout of a training call (raise Knative's max-revision-timeout-seconds above 600 for longer ones)."
  type        = number
  default     = 600

  validation {
    condition     = var.training_timeout_seconds >= 30 && var.training_timeout_seconds <= 3600
    error_message = "training_timeout_seconds must be between 30 and 3600."
  }
}

variable "training_resources" {
  description = "CPU and memory of a training pod (libtorch alone needs about 1 GiB)."
  type = object({
    cpu    = optional(string, "1")
    memory = optional(string, "3Gi")
  })
  default = {}
}

variable "training_max_scale" {
  description = "Most training pods for this domain."
  type        = number
  default     = 2

  validation {
    condition     = var.training_max_scale >= 1
    error_message = "training_max_scale must be at least 1."
  }
}

variable "service_account_annotations" {
  description = "Annotations of the training service account, e.g. eks.amazonaws.com/role-arn for IRSA with the domain's policy."
  type        = map(string)
  default     = {}
}

variable "system_namespaces" {
  description = "Namespaces whose pods deliver traffic to Knative services (activator, ingress gateway, broker filter, PingSource adapter)."
  type        = list(string)
  default     = ["knative-serving", "knative-eventing", "kourier-system"]
}

variable "cluster_cidrs" {
  description = "Pod and service CIDRs of the cluster. Egress to them is denied except DNS and the Knative data plane, so a domain cannot reach another domain's pods."
  type        = list(string)
  default     = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]

  validation {
    condition     = alltrue([for c in var.cluster_cidrs : can(cidrhost(c, 0))])
    error_message = "cluster_cidrs must be CIDR blocks."
  }
}

variable "object_store_cidrs" {
  description = "Where the object store lives when it is inside cluster_cidrs (an in-cluster MinIO): egress to these is allowed."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.object_store_cidrs : can(cidrhost(c, 0))])
    error_message = "object_store_cidrs must be CIDR blocks."
  }
}

variable "vertical" {
  description = "The domain takes part in vertical models (functions/vertical): a Trigger on the federation's Broker delivers the object events of the aws-sqs IntegrationSource (update_events.source = aws-sqs on federation-knative, the bucket notifying models/{model}/vrounds/ and models/{model}/scorings/ too) to the training Service, whose package maps that type to its `vertical` function; the function keeps the PSI sets, settings, gradients and scoring requests that are this domain's and ignores the rest. Give the domain's object-store identity policies' vertical statements (domains[*].vertical)."
  type        = bool
  default     = false
}

variable "vertical_head" {
  description = "The domain owns the labels of a vertical model without sharing them and runs its head (give its object-store identity policies' domains[*].vertical_head): a CronJob posts the deadline sweep ({\"sweep\": \"vertical-rounds\"}) to the training Service's /vertical on vertical_sweep_schedule, which fails the head's rounds past their deadline. Needs vertical."
  type        = bool
  default     = false

  validation {
    condition     = !var.vertical_head || var.vertical
    error_message = "vertical_head needs vertical = true (the head runs in the domain's vertical steps)."
  }
}

variable "vertical_sweep_schedule" {
  description = "Cron schedule (five fields) of the domain-owned head's deadline sweep."
  type        = string
  default     = "* * * * *"
}
