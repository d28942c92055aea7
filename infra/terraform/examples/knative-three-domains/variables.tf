variable "name" {
  description = "Name of the federation."
  type        = string
  default     = "meshfl-demo"
}

variable "federation_bucket_name" {
  description = "Federation bucket on S3 (its ObjectCreated notifications feed update_queue_arn)."
  type        = string
}

variable "region" {
  description = "AWS region of the bucket and the queue."
  type        = string
  default     = "eu-west-1"
}

variable "update_queue_arn" {
  description = "SQS queue the bucket's update notifications go to; the aws-sqs IntegrationSource reads it."
  type        = string
}

variable "image_prefix" {
  description = "Registry and repository prefix of the images native-build/build.sh pushed, e.g. registry.example.org/meshfl."
  type        = string
}

variable "image_tag" {
  description = "Tag of the three function images."
  type        = string
  default     = "0.1.0-SNAPSHOT"
}

variable "database_host" {
  description = "Host of the registry's PostgreSQL (e.g. a CloudNativePG cluster's -rw service)."
  type        = string
}

variable "jwt_issuer" {
  description = "Issuer of the federation's tokens."
  type        = string
}

variable "domains" {
  description = "Domains and their training schedules (five-field cron) by model id."
  type = map(object({
    schedules = map(object({
      cron         = string
      timezone     = optional(string, "UTC")
      data_product = optional(string)
    }))
  }))
  default = {
    retail    = { schedules = { fraud = { cron = "0 2 * * *" } } }
    logistics = { schedules = { fraud = { cron = "15 2 * * *" } } }
    finance   = { schedules = { fraud = { cron = "30 2 * * *" } } }
  }
}

variable "sweep_schedule" {
  description = "Cron schedule of the sweeper's PingSource: how often rounds past their deadline or lease are ended."
  type        = string
  default     = "* * * * *"
}
