variable "partition" {
  description = "AWS partition the ARNs are built in."
  type        = string
  default     = "aws"

  validation {
    condition     = contains(["aws", "aws-cn", "aws-us-gov"], var.partition)
    error_message = "partition must be one of aws, aws-cn, aws-us-gov."
  }
}

variable "federation_bucket_name" {
  description = "Name of the federation bucket that holds models/{model}/global, rounds, state and tmp objects."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.federation_bucket_name))
    error_message = "federation_bucket_name must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)."
  }
}

variable "domains" {
  description = <<-EOT
    Domains whose training roles get a policy, keyed by domain id (the id used in update keys
    models/{model}/rounds/{r}/updates/{domain}.safetensors and in the registry). data_bucket_name is the
    domain's own data bucket (domains without one get no training policy: the federation module passes
    only role ARNs); training_role_arn (optional), signing_key_secret_arn and registry_token_secret_arn (optional) make the
    bucket policy and the role policy name that domain's principal and secrets. vertical: the ids of the vertical
    models the domain is a party of (their PSI sets, settings and outcomes, its own embeddings and gradients in them,
    its space under domains/{domain}/vertical/); vertical_head: the ids of the vertical models whose labels it owns
    without sharing them and whose head it runs (every party's embeddings of those models in, their gradients and
    the rounds' outcomes out; implies being a party of them). Every vertical statement names its models: nothing of
    another vertical model is readable or writable.
  EOT
  type = map(object({
    data_bucket_name          = optional(string)
    training_role_arn         = optional(string)
    signing_key_secret_arn    = optional(string)
    registry_token_secret_arn = optional(string)
    vertical                  = optional(list(string), [])
    vertical_head             = optional(list(string), [])
  }))
  default = {}

  validation {
    # The id ends up in object keys and ARNs: keep it to characters that S3 event notifications do not
    # URL-encode, so the key the aggregator decodes is the key that was written.
    condition     = alltrue([for d in keys(var.domains) : can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", d))])
    error_message = "Every domain id must be 2-32 characters of lowercase letters, digits and hyphens, starting with a letter."
  }

  validation {
    condition     = alltrue([for d in values(var.domains) : d.data_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", d.data_bucket_name))])
    error_message = "Every domains[*].data_bucket_name must be a valid S3 bucket name."
  }

  validation {
    # Model ids end up in IAM resource patterns: no wildcard characters.
    condition     = alltrue(flatten([for d in values(var.domains) : [for m in concat(d.vertical, d.vertical_head) : can(regex("^[a-z0-9][a-z0-9._-]{0,62}$", m))]]))
    error_message = "Every model id in domains[*].vertical and domains[*].vertical_head must be 1-63 characters of lowercase letters, digits, dots, underscores and hyphens."
  }
}

variable "aggregation_role_arn" {
  description = "ARN of the aggregation function's role; when set, the bucket policy lets only it write global/, state/ and tmp/."
  type        = string
  default     = null
}

variable "sweeper_role_arn" {
  description = "ARN of the sweeper's role (the aggregation artifact's scheduled `sweep` function); when set, the bucket policy lets it write global/, state/ and tmp/ too, as it aggregates rounds that are due."
  type        = string
  default     = null

  validation {
    condition     = var.sweeper_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", var.sweeper_role_arn))
    error_message = "sweeper_role_arn must be an IAM role ARN (no wildcards: it names one principal)."
  }
}

variable "vertical_head_role_arn" {
  description = "ARN of the governance-side vertical head's role (the training image deployed with MESHFL_TRAINING_DOMAIN=governance, labels shared); when set, the bucket policy lets only it (for vertical_head_models) and the vertical_head domains (for their models) write gradients, head states and round outcomes."
  type        = string
  default     = null

  validation {
    condition     = var.vertical_head_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", var.vertical_head_role_arn))
    error_message = "vertical_head_role_arn must be an IAM role ARN (no wildcards: it names one principal)."
  }
}

variable "vertical_head_models" {
  description = "Ids of the vertical models whose labels are shared with the governance side: the governance-side head (vertical_head_role_arn, vertical_head_policy) reads and writes the head objects of these models and of no other."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for m in var.vertical_head_models : can(regex("^[a-z0-9][a-z0-9._-]{0,62}$", m))])
    error_message = "Every vertical_head_models id must be 1-63 characters of lowercase letters, digits, dots, underscores and hyphens."
  }
}

variable "vertical_head_secret_arns" {
  description = "Secrets Manager ARNs the governance-side vertical head may read (its signing key and registry token)."
  type        = list(string)
  default     = []
}

variable "governance_principal_arns" {
  description = "Principals (people or CI roles of the federated governance) that may upload the first global model models/{model}/global/1.safetensors."
  type        = list(string)
  default     = []
}

variable "update_queue_arn" {
  description = "ARN of the SQS queue the update events go to (aggregation input). Null leaves the SQS statements out."
  type        = string
  default     = null
}

variable "update_event_source_arn" {
  description = "ARN allowed to send to the update queue: the EventBridge rule (update_event_path = eventbridge) or the federation bucket (s3-notification)."
  type        = string
  default     = null
}

variable "update_event_path" {
  description = "How update events reach the queue: eventbridge (S3 -> EventBridge rule with an exact key pattern -> SQS) or s3-notification (S3 notification with per-model prefix/suffix filters -> SQS)."
  type        = string
  default     = "eventbridge"

  validation {
    condition     = contains(["eventbridge", "s3-notification"], var.update_event_path)
    error_message = "update_event_path must be eventbridge or s3-notification."
  }
}

variable "models" {
  description = "Model ids, only needed for update_event_path = s3-notification (S3 filters have one prefix and one suffix, so each model gets models/{model}/rounds/ + .safetensors)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for m in var.models : can(regex("^[a-z0-9][a-z0-9._-]{0,62}$", m))])
    error_message = "Every model id must be 1-63 characters of lowercase letters, digits, dots, underscores and hyphens."
  }
}

variable "vertical_models" {
  description = "Vertical model ids whose objects (models/{model}/vrounds/: settings, PSI sets, embeddings, gradients, head states) the S3 notification configuration also sends to the update queue (Knative on S3: the domains' and the head's Triggers take them from there)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for m in var.vertical_models : can(regex("^[a-z0-9][a-z0-9._-]{0,62}$", m))])
    error_message = "Every vertical model id must be 1-63 characters of lowercase letters, digits, dots, underscores and hyphens."
  }
}

variable "round_events_bus_arn" {
  description = "ARN of the EventBridge bus the registry publishes round events to. Null leaves the statement out."
  type        = string
  default     = null
}

variable "registry_secret_arns" {
  description = "Secrets Manager ARNs the registry function may read (database credentials)."
  type        = list(string)
  default     = []
}

variable "aggregation_secret_arns" {
  description = "Secrets Manager ARNs the aggregation function may read (its registry token)."
  type        = list(string)
  default     = []
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the federation bucket, or null for SSE-S3 (no KMS statements)."
  type        = string
  default     = null
}
