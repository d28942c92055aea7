# A small model of AWS policy evaluation for the tests of this module, written in plain Terraform so it
# runs without providers. It covers what the generated documents use: Allow/Deny, Action/NotAction,
# Resource/NotResource, Principal ("*", AWS, Service), and the condition operators String(Not)Equals,
# String(Not)Like, Arn(Not)Equals, Arn(Not)Like and Bool, each also with IfExists (true when the request
# has no such key: S3 sends no s3:prefix with a HEAD or GET). Wildcards follow IAM: `*` matches any run of
# characters (`/` included), `?` one character; actions compare case-insensitively. Missing condition
# keys make positive operators false and negated ones true, as in IAM. Policies of one account are
# combined: allowed = some Allow matches and no Deny matches.
terraform {
  required_version = ">= 1.6.0"
}

variable "policies" {
  description = "Policy documents (JSON) evaluated together."
  type        = list(string)
}

variable "requests" {
  description = "Requests to decide, by name."
  type = map(object({
    action            = string
    resource          = string
    principal_arn     = optional(string, "")
    principal_service = optional(string, "")
    context           = optional(map(string), {})
  }))
}

variable "keys" {
  description = "Object keys to match against wildcard patterns with EventBridge/IAM semantics, by name."
  type = map(object({
    wildcard = string
    key      = string
  }))
  default = {}
}

locals {
  statements = flatten([for p in var.policies : [for s in jsondecode(p).Statement : {
    effect        = s.Effect
    actions       = try([for a in flatten([s.Action]) : lower(a)], null)
    not_actions   = try([for a in flatten([s.NotAction]) : lower(a)], null)
    resources     = try(flatten([s.Resource]), null)
    not_resources = try(flatten([s.NotResource]), null)
    principal_any = try(s.Principal == "*", false) || !can(s.Principal)
    principal_aws = try(flatten([s.Principal.AWS]), [])
    principal_svc = try(flatten([s.Principal.Service]), [])
    conditions = flatten([for op, kv in try(s.Condition, {}) : [for k, v in kv : {
      op        = trimsuffix(op, "IfExists")
      if_exists = endswith(op, "IfExists")
      key       = k
      values    = [for x in flatten([v]) : tostring(x)]
    }]])
  }]])

  positive_ops = ["StringEquals", "StringLike", "ArnEquals", "ArnLike", "Bool"]
  negated_ops  = { StringNotEquals = "StringEquals", StringNotLike = "StringLike", ArnNotEquals = "ArnEquals", ArnNotLike = "ArnLike" }
  like_ops     = ["StringLike", "ArnLike", "ArnEquals"]

  # matches[request][i]: does statement i apply to the request?
  matches = { for name, r in var.requests : name => [for s in local.statements : alltrue([
    s.actions != null
    ? anytrue([for a in s.actions : can(regex(format("^%s$", replace(replace(replace(a, "/[.+^$(){}|\\[\\]\\\\]/", "\\$0"), "*", ".*"), "?", ".")), lower(r.action)))])
    : !anytrue([for a in s.not_actions : can(regex(format("^%s$", replace(replace(replace(a, "/[.+^$(){}|\\[\\]\\\\]/", "\\$0"), "*", ".*"), "?", ".")), lower(r.action)))]),
    s.resources != null
    ? anytrue([for p in s.resources : can(regex(format("^%s$", replace(replace(replace(p, "/[.+^$(){}|\\[\\]\\\\]/", "\\$0"), "*", ".*"), "?", ".")), r.resource))])
    : !anytrue([for p in s.not_resources : can(regex(format("^%s$", replace(replace(replace(p, "/[.+^$(){}|\\[\\]\\\\]/", "\\$0"), "*", ".*"), "?", ".")), r.resource))]),
    s.principal_any || anytrue(concat(
      [for p in s.principal_aws : r.principal_arn != "" && can(regex(format("^%s$", replace(replace(replace(p, "/[.+^$(){}|\\[\\]\\\\]/", "\\$0"), "*", ".*"), "?", ".")), r.principal_arn))],
      [for p in s.principal_svc : p == r.principal_service],
    )),
    alltrue([for c in s.conditions : (c.if_exists && !contains(keys(r.context), c.key)) || (
      contains(keys(local.negated_ops), c.op)
      ? !(contains(keys(r.context), c.key) && anytrue([for v in c.values : contains(local.like_ops, local.negated_ops[c.op])
        ? can(regex(format("^%s$", replace(replace(replace(v, "/[.+^$(){}|\\[\\]\\\\]/", "\\$0"), "*", ".*"), "?", ".")), lookup(r.context, c.key, "")))
      : v == lookup(r.context, c.key, "")]))
      : contains(local.positive_ops, c.op) && contains(keys(r.context), c.key) && anytrue([for v in c.values : contains(local.like_ops, c.op)
        ? can(regex(format("^%s$", replace(replace(replace(v, "/[.+^$(){}|\\[\\]\\\\]/", "\\$0"), "*", ".*"), "?", ".")), lookup(r.context, c.key, "")))
      : v == lookup(r.context, c.key, "")])
    )]),
  ])] }

  decisions = { for name, m in local.matches : name => (
    anytrue([for i, s in local.statements : s.effect == "Allow" && m[i]]) &&
    !anytrue([for i, s in local.statements : s.effect == "Deny" && m[i]])
  ) }

  key_matches = { for name, k in var.keys : name => can(regex(format("^%s$", replace(replace(replace(k.wildcard, "/[.+^$(){}|\\[\\]\\\\]/", "\\$0"), "*", ".*"), "?", ".")), k.key)) }
}

output "allowed" {
  description = "Decision per request name: true when the policies allow it."
  value       = local.decisions
}

output "key_matches" {
  description = "Per name: does the key match the wildcard."
  value       = local.key_matches
}
