variable "name" {
  description = "Name prefix of the federation (the same as the federation-aws module's name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name))
    error_message = "name must be 3-24 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "domain" {
  description = "Domain id, as enrolled in the registry and used in update keys models/{model}/rounds/{r}/updates/{domain}.safetensors."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", var.domain))
    error_message = "domain must be 2-32 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "federation_bucket_name" {
  description = "The federation bucket (federation-aws output federation_bucket_name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.federation_bucket_name))
    error_message = "federation_bucket_name must be a valid S3 bucket name."
  }
}

variable "federation_kms_key_arn" {
  description = "KMS key of the federation bucket, if it uses one (the training role then may use it)."
  type        = string
  default     = null
}

variable "registry_url" {
  description = "Base URL of the registry (federation-aws output registry_url)."
  type        = string

  validation {
    condition     = can(regex("^https?://", var.registry_url))
    error_message = "registry_url must be an http(s) URL."
  }
}

variable "registry_token_secret_arn" {
  description = <<-EOT
    Secrets Manager secret holding the domain's registry JWT (role domain, claim domain), minted by the
    governance and stored by the domain team. The training function reads it at start
    (MESHFL_TRAINING_REGISTRY_TOKEN_SECRET_ARN); the value never passes through Terraform.
  EOT
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:", var.registry_token_secret_arn))
    error_message = "registry_token_secret_arn must be a Secrets Manager secret ARN."
  }
}

variable "federation_region" {
  description = "Region of the federation bucket; null: this provider's region. The S3 client signs for this region (MESHFL_OBJECT_STORE_REGION)."
  type        = string
  default     = null
}

variable "training_async_retries" {
  description = "Retries of a failed asynchronous training run (schedules, round events) before the event goes to the failure queue."
  type        = number
  default     = 1

  validation {
    condition     = var.training_async_retries >= 0 && var.training_async_retries <= 2
    error_message = "training_async_retries must be 0, 1 or 2 (Lambda's limit)."
  }
}

variable "alarm_topic_arns" {
  description = "SNS topics notified when training runs end in the failure queue (empty: the alarm only shows in CloudWatch)."
  type        = list(string)
  default     = []
}

variable "create_data_bucket" {
  description = "Create the domain's data bucket; false uses an existing bucket named data_bucket_name."
  type        = bool
  default     = true
}

variable "data_bucket_name" {
  description = "The domain's data bucket; null (with create_data_bucket) derives {name}-{domain}-data-{account id}."
  type        = string
  default     = null

  validation {
    condition     = var.data_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.data_bucket_name))
    error_message = "data_bucket_name must be a valid S3 bucket name."
  }
}

variable "data_kms_key_arn" {
  description = "KMS key for the data bucket; null uses SSE-S3."
  type        = string
  default     = null
}

variable "signing_key_secret_arn" {
  description = <<-EOT
    Secrets Manager secret holding the domain's Ed25519 private key (PKCS#8 PEM as openssl writes it, or
    the bare Base64 DER), created by the domain team so that it never passes through the federation's
    hands (see the module README for the openssl and aws commands). The training function reads it at
    start (MESHFL_TRAINING_SIGNING_KEY_SECRET_ARN); it is never in Terraform state. Its public key is
    what the governance enrols with POST /domains.
  EOT
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:", var.signing_key_secret_arn))
    error_message = "signing_key_secret_arn must be a Secrets Manager secret ARN."
  }
}

variable "training_image_uri" {
  description = "ECR image of the training function (native-build/build.sh lambda-image training-function), tag or digest."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$", var.training_image_uri))
    error_message = "training_image_uri must be an ECR image reference with a tag or digest (Lambda pulls images from ECR only)."
  }
}

variable "training_function_export" {
  description = "Funqy function the training Lambda runs (QUARKUS_FUNQY_EXPORT)."
  type        = string
  default     = "train"
}

variable "training_memory_mb" {
  description = "Memory of the training Lambda (libtorch and the data product in memory; CPU scales with it)."
  type        = number
  default     = 4096

  validation {
    condition     = var.training_memory_mb >= 1024 && var.training_memory_mb <= 10240
    error_message = "training_memory_mb must be between 1024 and 10240."
  }
}

variable "training_timeout_seconds" {
  description = "Timeout of the training Lambda (Lambda's limit is 900 s: larger local training belongs on Knative)."
  type        = number
  default     = 900

  validation {
    condition     = var.training_timeout_seconds >= 30 && var.training_timeout_seconds <= 900
    error_message = "training_timeout_seconds must be between 30 and 900."
  }
}

variable "training_ephemeral_storage_mb" {
  description = "Size of /tmp. DJL unpacks libtorch (about 430 MB) there at cold start, next to the data product."
  type        = number
  default     = 2048

  validation {
    condition     = var.training_ephemeral_storage_mb >= 1024 && var.training_ephemeral_storage_mb <= 10240
    error_message = "training_ephemeral_storage_mb must be between 1024 (libtorch needs room) and 10240."
  }
}

variable "schedules" {
  description = <<-EOT
    Training triggers by model id: an EventBridge Scheduler expression (rate(...), cron(...) or at(...)),
    its time zone, and optionally the data product to train on (the registry's enrolment decides when
    omitted).
  EOT
  type = map(object({
    expression   = string
    timezone     = optional(string, "UTC")
    data_product = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for m, s in var.schedules : can(regex("^(rate|cron|at)\\(.+\\)$", s.expression))])
    error_message = "Every schedules[*].expression must be rate(...), cron(...) or at(...)."
  }

  validation {
    condition     = alltrue([for m in keys(var.schedules) : can(regex("^[a-z0-9][a-z0-9._-]{0,62}$", m))])
    error_message = "schedules must be keyed by model id (lowercase letters, digits, dots, underscores, hyphens)."
  }
}

variable "round_events_bus_name" {
  description = "The federation's round events bus; with trigger_on_round_opened, a rule there starts training as soon as a round opens."
  type        = string
  default     = null
}

variable "trigger_on_round_opened" {
  description = "Also train when the registry publishes meshfl.round.opened for one of the scheduled models (needs round_events_bus_name in this account)."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of the training function's log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "vertical" {
  description = "Ids of the vertical models (functions/vertical) the domain is a party of: a second Lambda of the training image exporting `vertical`, fed by its own SQS queue from the federation's rule (vertical_event_rule_arn), and the role's vertical statements for these models only (policies' domains[*].vertical). Empty: none."
  type        = list(string)
  default     = []
}

variable "vertical_head" {
  description = "Ids of the vertical models whose labels the domain owns without sharing them and whose head it runs (policies' domains[*].vertical_head: every party's embeddings of these models in, their gradients and the rounds' outcomes out; no other model's). Implies being a party of them."
  type        = list(string)
  default     = []
}

variable "vertical_sweep_schedule_expression" {
  description = "How often the head of the models in vertical_head fails their rounds past the deadline (EventBridge Scheduler expression; the schedule invokes the vertical Lambda with {\"sweep\": \"vertical-rounds\"})."
  type        = string
  default     = "rate(1 minute)"
}

variable "vertical_event_rule_arn" {
  description = "ARN of the federation's EventBridge rule that sends this domain's vertical events (federation-aws output vertical_event_rule_arns[domain]); the queue admits only it. Required with vertical."
  type        = string
  default     = null

  validation {
    condition     = var.vertical_event_rule_arn == null || can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:rule/.+$", var.vertical_event_rule_arn))
    error_message = "vertical_event_rule_arn must be an EventBridge rule ARN."
  }
}
