# Scoring of vertical models (functions/vertical, io.meshfl.vertical.scoring; issue 16), kept apart from the
# training statements in main.tf but on the same per-model lists (local.vertical_domains, vertical_headed_models,
# var.vertical_head_models). For scoring s of model m, under models/m/scorings/s/:
#   request.json                       governance writes it once; every party of m and m's head read it
#   embeddings/{d}.safetensors         party d of m writes its signed embeddings once (and HEADs them first)
#   refusals/{d}.json                  or its refusal (it does not hold every pseudonym, no such version)
#   scores.safetensors, outcome.json   m's head writes them once; the requester (governance) reads them
# A party reads no other party's embeddings and no scores: the head sees embeddings, as in training. Nothing of a
# model a role is not a party or the head of is readable or writable through these statements.
locals {
  vertical_scoring_request = "models/*/scorings/*/request.json"
  # A party of model m (domains[*].vertical, or its head, which implies being a party) answers m's scorings only.
  vertical_scoring_models_of = { for d, _ in var.domains : d => contains(keys(local.vertical_domains), d) ? local.vertical_domains[d] : [] }
  vertical_scoring_party_writes = { for d, models in local.vertical_scoring_models_of : d => flatten([for m in models : [
    "models/${m}/scorings/*/embeddings/${d}.safetensors",
    "models/${m}/scorings/*/refusals/${d}.json",
  ]]) }
  vertical_scoring_party_reads = { for d, models in local.vertical_scoring_models_of : d => concat(
  [for m in models : "models/${m}/scorings/*/request.json"], local.vertical_scoring_party_writes[d]) }
  # What only domain d writes, in every model (the bucket's Deny for everyone else).
  vertical_scoring_party_owned = { for d, _ in local.vertical_domains : d => [
    "models/*/scorings/*/embeddings/${d}.safetensors",
    "models/*/scorings/*/refusals/${d}.json",
  ] }
  # The head of model m reads the request and every party's answer, and writes (after a HEAD) the scores and outcome.
  vertical_scoring_head_writes_of = { for m in local.vertical_headed_models : m => [
    "models/${m}/scorings/*/scores.safetensors",
    "models/${m}/scorings/*/outcome.json",
  ] }
  vertical_scoring_head_reads_of = { for m in local.vertical_headed_models : m => concat([
    "models/${m}/scorings/*/request.json",
    "models/${m}/scorings/*/embeddings/*",
    "models/${m}/scorings/*/refusals/*",
  ], local.vertical_scoring_head_writes_of[m]) }
  vertical_scoring_domain_head_reads = { for d, cfg in var.domains : d => flatten([for m in cfg.vertical_head :
  local.vertical_scoring_head_reads_of[m]]) }
  vertical_scoring_domain_head_writes = { for d, cfg in var.domains : d => flatten([for m in cfg.vertical_head :
  local.vertical_scoring_head_writes_of[m]]) }
  governance_scoring_head_reads  = flatten([for m in var.vertical_head_models : local.vertical_scoring_head_reads_of[m]])
  governance_scoring_head_writes = flatten([for m in var.vertical_head_models : local.vertical_scoring_head_writes_of[m]])

  # Every key a domain's policy lets it write for scoring (its Deny of every other write is widened by these).
  vertical_scoring_writable = { for d, _ in var.domains : d => concat(local.vertical_scoring_party_writes[d],
  local.vertical_scoring_domain_head_writes[d]) }

  domain_vertical_scoring_statements = { for d, cfg in var.domains : d => !contains(keys(local.vertical_domains), d) ? [] : [
    {
      Sid      = "ReadVerticalScoringObjects"
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = [for k in concat(local.vertical_scoring_party_reads[d], local.vertical_scoring_domain_head_reads[d]) : "${local.federation_bucket_arn}/${k}"]
    },
    {
      Sid      = "WriteOwnVerticalScoringObjects"
      Effect   = "Allow"
      Action   = ["s3:PutObject"]
      Resource = [for k in local.vertical_scoring_writable[d] : "${local.federation_bucket_arn}/${k}"]
    },
  ] }

  # The governance-side head: the scorings of vertical_head_models only (its WriteNothingElse Deny lets these through).
  vertical_head_scoring_statements = length(var.vertical_head_models) == 0 ? [] : [
    {
      Sid      = "ReadVerticalScoringObjects"
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = [for k in local.governance_scoring_head_reads : "${local.federation_bucket_arn}/${k}"]
    },
    {
      Sid      = "WriteScoresAndScoringOutcomes"
      Effect   = "Allow"
      Action   = ["s3:PutObject"]
      Resource = [for k in local.governance_scoring_head_writes : "${local.federation_bucket_arn}/${k}"]
    },
  ]

  # The bucket's side: a domain's scoring answers only from its role, scores and outcomes only from a head (and for a
  # model whose heads are known, only from its own), the request only from the governance principals; and the
  # cross-account allows for the domains and the head, per model.
  bucket_vertical_scoring_statements = concat(
    [for d, role in local.domains_with_roles : {
      Sid       = "OnlyDomainAnswersItsScorings${replace(title(replace(d, "-", " ")), " ", "")}"
      Effect    = "Deny"
      Principal = "*"
      Action    = ["s3:PutObject", "s3:DeleteObject"]
      Resource  = [for k in local.vertical_scoring_party_owned[d] : "${local.federation_bucket_arn}/${k}"]
      Condition = { ArnNotEquals = { "aws:PrincipalArn" = [role] } }
    } if contains(keys(local.vertical_domains), d)],
    length(local.vertical_head_role_arns) == 0 ? [] : [{
      Sid       = "OnlyHeadsWriteScores"
      Effect    = "Deny"
      Principal = "*"
      Action    = ["s3:PutObject", "s3:DeleteObject"]
      Resource  = [for k in ["models/*/scorings/*/scores.safetensors", "models/*/scorings/*/outcome.json"] : "${local.federation_bucket_arn}/${k}"]
      Condition = { ArnNotEquals = { "aws:PrincipalArn" = local.vertical_head_role_arns } }
    }],
    [for i, m in local.vertical_headed_models : {
      Sid       = "OnlyItsHeadsWriteScoresOfVerticalModel${i}"
      Effect    = "Deny"
      Principal = "*"
      Action    = ["s3:PutObject", "s3:DeleteObject"]
      Resource  = [for k in local.vertical_scoring_head_writes_of[m] : "${local.federation_bucket_arn}/${k}"]
      Condition = { ArnNotEquals = { "aws:PrincipalArn" = local.vertical_known_heads_of[m] } }
    } if contains(keys(local.vertical_known_heads_of), m)],
    length(var.governance_principal_arns) == 0 || length(local.vertical_domains) == 0 ? [] : [{
      Sid       = "OnlyGovernanceRequestsScorings"
      Effect    = "Deny"
      Principal = "*"
      Action    = ["s3:PutObject", "s3:DeleteObject"]
      Resource  = ["${local.federation_bucket_arn}/${local.vertical_scoring_request}"]
      Condition = { ArnNotLike = { "aws:PrincipalArn" = var.governance_principal_arns } }
    }],
    var.vertical_head_role_arn == null || length(var.vertical_head_models) == 0 ? [] : [{
      Sid       = "AllowVerticalHeadScoring"
      Effect    = "Allow"
      Principal = { AWS = [var.vertical_head_role_arn] }
      Action    = ["s3:GetObject", "s3:PutObject"]
      Resource  = [for k in local.governance_scoring_head_reads : "${local.federation_bucket_arn}/${k}"]
    }],
    [for d, role in local.domains_with_roles : {
      Sid       = "AllowDomain${replace(title(replace(d, "-", " ")), " ", "")}VerticalScoring"
      Effect    = "Allow"
      Principal = { AWS = [role] }
      Action    = ["s3:GetObject", "s3:PutObject"]
      Resource = [for k in distinct(concat(local.vertical_scoring_party_reads[d],
      local.vertical_scoring_domain_head_reads[d])) : "${local.federation_bucket_arn}/${k}"]
    } if contains(keys(local.vertical_domains), d)],
  )

  # Events: a request reaches every party, a party's answer (embeddings or refusal) the head; scores and outcomes
  # trigger nothing. EventBridge wildcards (vertical_event_wildcards) and, for Knative on S3, one more notification
  # prefix per vertical model (S3 filters have one prefix each; models/{m}/scorings/ overlaps no other).
  vertical_scoring_event_wildcards = {
    party = [local.vertical_scoring_request]
    head  = ["models/*/scorings/*/embeddings/*.safetensors", "models/*/scorings/*/refusals/*.json"]
  }
  vertical_scoring_notification_configurations = var.update_queue_arn == null ? [] : [for m in var.vertical_models : {
    Id       = "meshfl-vertical-scoring-${m}"
    QueueArn = var.update_queue_arn
    Events   = ["s3:ObjectCreated:*"]
    Filter   = { Key = { FilterRules = [{ Name = "prefix", Value = "models/${m}/scorings/" }] } }
  }]
}
