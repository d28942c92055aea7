# Test equipment: compares one function's environment, as a module renders it, with the settings that
# function reads (infra/contract/functions.json). Provider-free, so every module's tests can use it:
#   run "contract" { module { source = "../../contract-check" } variables { function = "training" environment = run.x.… } }
# With export (the QUARKUS_FUNQY_EXPORT value) and event_types (what a Knative deployment delivers) it also
# checks that each deployment of a package reaches the Funqy function meant for its trigger.
terraform {
  required_version = ">= 1.6.0"
}

variable "function" {
  description = "Function name in the contract: training, aggregation or registry."
  type        = string
}

variable "environment" {
  description = "The rendered environment: variable name -> how its value is given (value: the value itself is in the configuration and so in Terraform state; reference: a Kubernetes secretKeyRef or another indirection that keeps the value out)."
  type        = map(string)

  validation {
    condition     = alltrue([for how in values(var.environment) : contains(["value", "reference"], how)])
    error_message = "Each environment entry says value or reference."
  }
}

variable "export" {
  description = "The value the deployment gives QUARKUS_FUNQY_EXPORT, or null when it does not set it. Must be one of the function's exports."
  type        = string
  default     = null
}

variable "event_types" {
  description = "CloudEvent types a Knative deployment delivers to the function (its Triggers' type filters, dev.knative.sources.ping for a PingSource). Each must be routed to an export by the function's mapping, and to the exported function when QUARKUS_FUNQY_EXPORT is set (Funqy then sends every CloudEvent there)."
  type        = list(string)
  default     = []
}

variable "contract_path" {
  description = "Path of the contract, relative to the directory terraform runs in (a module directory under infra/terraform/modules or examples)."
  type        = string
  default     = "../../../contract/functions.json"
}

locals {
  contract = jsondecode(file(var.contract_path)).functions[var.function]
  settings = local.contract.settings
  # Secrets may also be given as a mounted file or a Secrets Manager ARN, read at start.
  by_secret_references = try(local.contract.secret_references, false)

  names_for = { for s in local.settings : s.env => concat([s.env], s.secret && local.by_secret_references ? ["${s.env}_FILE", "${s.env}_SECRET_ARN"] : []) }
  known     = toset(flatten(values(local.names_for)))

  unread           = sort([for n in keys(var.environment) : n if !contains(local.known, n)])
  missing          = sort([for s in local.settings : s.env if s.required && length(setintersection(toset(local.names_for[s.env]), toset(keys(var.environment)))) == 0])
  secrets_in_state = sort([for s in local.settings : s.env if s.secret && lookup(var.environment, s.env, "") == "value"])
  # The package's Funqy functions, by the CloudEvent type each one's Knative mapping routes to it.
  exports        = try(local.contract.exports, {})
  export_by_type = { for name, e in local.exports : e.knative_event_type => name }

  unknown_export = var.export == null || contains(keys(local.exports), coalesce(var.export, "-")) ? [] : [var.export]
  # An exported function takes every CloudEvent: a type mapped to another function would never reach it.
  # Unless the exported function declares that it takes that type too (knative_event_types_when_exported: it tells the
  # types apart itself).
  unrouted = sort([for t in distinct(var.event_types) : t if !contains(keys(local.export_by_type), t) || (var.export != null && lookup(local.export_by_type, t, "") != var.export && !contains(try(local.exports[coalesce(var.export, "-")].knative_event_types_when_exported, []), t))])

  # Two ways to give one setting: the function refuses to start rather than guess.
  ambiguous = sort([for s in local.settings : s.env if length(setintersection(toset(local.names_for[s.env]), toset(keys(var.environment)))) > 1])
}

output "unread" {
  description = "Variables the module sets that the function does not read."
  value       = local.unread
}

output "missing" {
  description = "Settings the function requires that the module does not set (neither directly nor, for secrets, by file or ARN)."
  value       = local.missing
}

output "secrets_in_state" {
  description = "Secret settings whose value the module writes into the configuration (and so into Terraform state)."
  value       = local.secrets_in_state
}

output "ambiguous" {
  description = "Settings given more than one way."
  value       = local.ambiguous
}

output "unknown_export" {
  description = "A QUARKUS_FUNQY_EXPORT that names no function of the package."
  value       = local.unknown_export
}

output "unrouted" {
  description = "Delivered CloudEvent types that do not reach the function meant for them (no mapping, or QUARKUS_FUNQY_EXPORT sends them elsewhere)."
  value       = local.unrouted
}

output "problems" {
  description = "All of the above as one message; empty when the environment keeps the contract."
  value = join("; ", compact([
    length(local.unread) == 0 ? "" : "set but read by no function: ${join(", ", local.unread)}",
    length(local.missing) == 0 ? "" : "required but not set: ${join(", ", local.missing)}",
    length(local.secrets_in_state) == 0 ? "" : "secret values in the configuration/state: ${join(", ", local.secrets_in_state)}",
    length(local.ambiguous) == 0 ? "" : "given more than one way: ${join(", ", local.ambiguous)}",
    length(local.unknown_export) == 0 ? "" : "QUARKUS_FUNQY_EXPORT names no function of the package: ${join(", ", local.unknown_export)}",
    length(local.unrouted) == 0 ? "" : "CloudEvent types that do not reach their function${var.export == null ? "" : " (QUARKUS_FUNQY_EXPORT=${var.export} takes every event)"}: ${join(", ", local.unrouted)}",
  ]))
}
