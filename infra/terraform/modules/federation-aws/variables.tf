variable "name" {
  description = "Name prefix for every resource of this federation (e.g. meshfl-prod)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name))
    error_message = "name must be 3-24 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "federation_bucket_name" {
  description = "Name of the federation bucket; null derives {name}-federation-{account id}."
  type        = string
  default     = null

  validation {
    condition     = var.federation_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.federation_bucket_name))
    error_message = "federation_bucket_name must be a valid S3 bucket name."
  }
}

variable "force_destroy" {
  description = "Let terraform destroy the federation bucket with objects in it (tests and demos only)."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for the bucket, queues and Lambda environment; null uses AWS-managed encryption (SSE-S3, SQS-managed SSE)."
  type        = string
  default     = null
}

variable "domains" {
  description = "Training role ARN per domain id. The bucket policy admits each domain's update key only from that role (and lets cross-account roles in). Take it from the domain-aws module's training_role_arn output, or write the ARN the domain team gives you."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for d in keys(var.domains) : can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", d))])
    error_message = "Every domain id must be 2-32 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "governance_principal_arns" {
  description = "Principals of the federated governance allowed to upload first global models (models/{model}/global/1.safetensors)."
  type        = list(string)
  default     = []
}

variable "update_event_path" {
  description = "eventbridge (default: exact key pattern, no model list needed) or s3-notification (S3 -> SQS with one prefix filter per model in var.models)."
  type        = string
  default     = "eventbridge"

  validation {
    condition     = contains(["eventbridge", "s3-notification"], var.update_event_path)
    error_message = "update_event_path must be eventbridge or s3-notification."
  }
}

variable "models" {
  description = "Model ids. Needed for update_event_path = s3-notification; also scopes the per-model lifecycle rules (expiry of round updates and tmp objects)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for m in var.models : can(regex("^[a-z0-9][a-z0-9._-]{0,62}$", m))])
    error_message = "Every model id must be 1-63 characters of lowercase letters, digits, dots, underscores and hyphens."
  }
}

variable "round_update_retention_days" {
  description = "Days after which domains' round updates (models/{model}/rounds/) expire, for the models in var.models. Global models are kept: they are the lineage."
  type        = number
  default     = 90

  validation {
    condition     = var.round_update_retention_days >= 1
    error_message = "round_update_retention_days must be at least 1."
  }
}

variable "noncurrent_version_retention_days" {
  description = "Days overwritten or deleted object versions are kept."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_retention_days >= 1
    error_message = "noncurrent_version_retention_days must be at least 1."
  }
}

variable "function_mode" {
  description = "native: provided.al2023 + bootstrap (native-build/build.sh lambda); jvm: java17 + the Quarkus stream handler (mvn -Plambda package)."
  type        = string
  default     = "native"

  validation {
    condition     = contains(["native", "jvm"], var.function_mode)
    error_message = "function_mode must be native or jvm."
  }
}

variable "architecture" {
  description = "Lambda architecture; must match the native executables (native-build builds x86_64 unless told otherwise)."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "aggregation_zip_path" {
  description = "Path to the aggregation function's function.zip."
  type        = string

  validation {
    condition     = endswith(var.aggregation_zip_path, ".zip")
    error_message = "aggregation_zip_path must point to a .zip file (target/function.zip)."
  }
}

variable "registry_zip_path" {
  description = "Path to the registry function's function.zip."
  type        = string

  validation {
    condition     = endswith(var.registry_zip_path, ".zip")
    error_message = "registry_zip_path must point to a .zip file (target/function.zip)."
  }
}

variable "aggregation_function_export" {
  description = "Funqy function the aggregation Lambda runs (QUARKUS_FUNQY_EXPORT)."
  type        = string
  default     = "aggregate"
}

variable "aggregation_memory_mb" {
  description = "Memory of the aggregation Lambda; aggregation streams (O(model size)), so this bounds the model size it can handle."
  type        = number
  default     = 1024

  validation {
    condition     = var.aggregation_memory_mb >= 128 && var.aggregation_memory_mb <= 10240
    error_message = "aggregation_memory_mb must be between 128 and 10240."
  }
}

variable "max_model_size_mb" {
  description = "Size in MB of the largest model's safetensors file in this federation. Sizes the aggregation and sweeper Lambdas' /tmp: a round's end keeps every accepted update, the global model, the strategy state and both outputs there at once. null keeps Lambda's default 512 MB (small models only)."
  type        = number
  default     = null

  validation {
    condition     = coalesce(var.max_model_size_mb, 1) > 0
    error_message = "max_model_size_mb must be positive."
  }
}

variable "max_domains_per_round" {
  description = "Most updates one round accepts (the models' maxDomains); null: the number of domains in var.domains. Used with max_model_size_mb."
  type        = number
  default     = null

  validation {
    condition     = coalesce(var.max_domains_per_round, 1) >= 1
    error_message = "max_domains_per_round must be at least 1."
  }
}

variable "aggregation_ephemeral_storage_mb" {
  description = "/tmp of the aggregation and sweeper Lambdas in MB, overriding the size derived from max_model_size_mb and max_domains_per_round."
  type        = number
  default     = null

  validation {
    condition     = coalesce(var.aggregation_ephemeral_storage_mb, 512) >= 512 && coalesce(var.aggregation_ephemeral_storage_mb, 512) <= 10240
    error_message = "aggregation_ephemeral_storage_mb must be between 512 and 10240 (Lambda's limits)."
  }
}

variable "aggregation_timeout_seconds" {
  description = "Timeout of the aggregation Lambda. The update queue's visibility timeout is six times this, as AWS recommends, and the round-close lease (MESHFL_AGGREGATION_LEASE) this plus 60 s, so a live aggregation is never taken over."
  type        = number
  default     = 300

  validation {
    condition     = var.aggregation_timeout_seconds >= 10 && var.aggregation_timeout_seconds <= 900
    error_message = "aggregation_timeout_seconds must be between 10 and 900."
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

variable "aggregation_max_concurrency" {
  description = "Most concurrent aggregation invocations the SQS mapping starts. The registry's compare-and-set keeps one winner per round whatever this is."
  type        = number
  default     = 5

  validation {
    condition     = var.aggregation_max_concurrency >= 2 && var.aggregation_max_concurrency <= 1000
    error_message = "aggregation_max_concurrency must be between 2 and 1000 (an SQS event source mapping limit)."
  }
}

variable "sweep_schedule_expression" {
  description = "EventBridge Scheduler expression of the sweeper (rate(...) or cron(...)): how often rounds past their deadline or with an expired aggregation lease are ended. A round ends at most one period after its deadline."
  type        = string
  default     = "rate(1 minute)"

  validation {
    condition     = can(regex("^(rate\\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\\)|cron\\([^()]+\\))$", var.sweep_schedule_expression))
    error_message = "sweep_schedule_expression must be rate(N minute[s]|hour[s]|day[s]) or cron(...)."
  }
}

variable "sweep_schedule_timezone" {
  description = "Time zone of a cron(...) sweep_schedule_expression (IANA name)."
  type        = string
  default     = "UTC"
}

variable "sweeper_reserved_concurrency" {
  description = "Reserved concurrency of the sweeper Lambda (1: one sweep at a time; sweeps are idempotent, more would only contend). null reserves none, for accounts whose concurrency limit leaves no room to reserve."
  type        = number
  default     = 1

  validation {
    condition     = coalesce(var.sweeper_reserved_concurrency, 1) >= 1 && coalesce(var.sweeper_reserved_concurrency, 1) <= 10
    error_message = "sweeper_reserved_concurrency must be null or between 1 and 10."
  }
}

variable "update_max_receive_count" {
  description = "Deliveries of an update event before it moves to the dead-letter queue."
  type        = number
  default     = 5

  validation {
    condition     = var.update_max_receive_count >= 1 && var.update_max_receive_count <= 1000
    error_message = "update_max_receive_count must be between 1 and 1000."
  }
}

variable "aggregation_registry_token_secret_arn" {
  description = <<-EOT
    Secrets Manager secret holding the aggregation function's registry JWT (role function), minted by the
    governance's issuer and stored with `aws secretsmanager create-secret`. The function reads it at start
    (MESHFL_REGISTRY_TOKEN_SECRET_ARN); the value never passes through Terraform.
  EOT
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:", var.aggregation_registry_token_secret_arn))
    error_message = "aggregation_registry_token_secret_arn must be a Secrets Manager secret ARN."
  }
}

variable "alarm_topic_arns" {
  description = "SNS topics notified by the alarms (dead-lettered updates, aggregation and sweeper errors, sweeps that stopped); empty: the alarms only show in CloudWatch."
  type        = list(string)
  default     = []
}

variable "jwt_issuer" {
  description = "Issuer the registry accepts in tokens (MP_JWT_VERIFY_ISSUER)."
  type        = string
}

variable "jwt_public_key" {
  description = "The issuer's RSA public key (PEM or JWK). Set this or jwt_public_key_location."
  type        = string
  default     = null
}

variable "jwt_public_key_location" {
  description = "URL of the issuer's public key or JWKS (MP_JWT_VERIFY_PUBLICKEY_LOCATION). Set this or jwt_public_key."
  type        = string
  default     = null

  validation {
    condition     = var.jwt_public_key_location == null || can(regex("^https://", var.jwt_public_key_location))
    error_message = "jwt_public_key_location must be an https:// URL."
  }
}

variable "registry_memory_mb" {
  description = "Memory of the registry Lambda."
  type        = number
  default     = 512

  validation {
    condition     = var.registry_memory_mb >= 128 && var.registry_memory_mb <= 10240
    error_message = "registry_memory_mb must be between 128 and 10240."
  }
}

variable "vpc_id" {
  description = "VPC of the registry database and the registry Lambda."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123abcd."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets (at least two, in different availability zones) for the database and the registry Lambda."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2 && alltrue([for s in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "private_subnet_ids needs at least two subnet ids (subnet-...)."
  }
}

variable "create_vpc_endpoints" {
  description = "Create an interface endpoint for EventBridge so the registry in private subnets can publish round events without a NAT gateway."
  type        = bool
  default     = true
}

variable "database_min_capacity" {
  description = "Aurora Serverless v2 minimum ACUs (0 lets the cluster pause when idle; needs engine 16.3 or later)."
  type        = number
  default     = 0

  validation {
    condition     = var.database_min_capacity >= 0 && var.database_min_capacity <= 256
    error_message = "database_min_capacity must be between 0 and 256."
  }
}

variable "database_max_capacity" {
  description = "Aurora Serverless v2 maximum ACUs."
  type        = number
  default     = 4

  validation {
    condition     = var.database_max_capacity >= 1 && var.database_max_capacity <= 256
    error_message = "database_max_capacity must be between 1 and 256."
  }
}

variable "database_engine_version" {
  description = "Aurora PostgreSQL engine version."
  type        = string
  default     = "16.6"
}

variable "database_deletion_protection" {
  description = "Protect the registry database from deletion."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of the functions' and the HTTP API's log groups."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "vertical_domains" {
  description = <<-EOT
    Domains that take part in vertical models (functions/vertical), keyed by domain id (each also in `domains`):
    queue_arn is the SQS queue of the domain's `vertical` Lambda (domain-aws output vertical_queue_arn), which
    admits this module's rule `<name>-vertical-<domain>` (output vertical_event_rule_arns); models: the ids of the
    vertical models it is a party of; head: the ids of the models whose labels it owns without sharing them and
    whose head it runs (its role's and the bucket policy's vertical statements name these models only). The rule sends the bucket's
    Object Created events of PSI sets, session and round settings, and the domain's own gradients (plus
    embeddings and round settings for a head) to the queue as S3 notifications.
  EOT
  type = map(object({
    queue_arn = string
    models    = list(string)
    head      = optional(list(string), [])
  }))
  default = {}

  validation {
    condition     = alltrue([for v in values(var.vertical_domains) : can(regex("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:.+$", v.queue_arn))])
    error_message = "Every vertical_domains[*].queue_arn must be an SQS queue ARN."
  }
}

variable "vertical_head" {
  description = <<-EOT
    The governance-side head of vertical models whose labels are shared: the training image (image_uri, the
    domains' training image) as a Lambda exporting `vertical` with MESHFL_TRAINING_DOMAIN=governance, its own
    role (policies' vertical_head_policy), its Ed25519 signing key and a registry token as Secrets Manager ARNs
    (read at start; a `function` token: the head checks every round against the registry's, records outcomes and
    lists the rounds due), fed by its own queue from the rule `<name>-vertical-head` (embeddings, its state, round
    settings), and invoked by the schedule `<name>-vertical-sweep` (sweep_schedule_expression) to fail rounds past
    their deadline. models: the ids of the vertical models whose labels are shared with the governance side;
    the head's role and the bucket policy reach the head objects of these models only. Null: none.
  EOT
  type = object({
    image_uri                 = string
    models                    = list(string)
    signing_key_secret_arn    = string
    registry_token_secret_arn = string
    memory_mb                 = optional(number, 3008)
    timeout_seconds           = optional(number, 300)
    ephemeral_storage_mb      = optional(number, 2048)
  })
  default = null
}
