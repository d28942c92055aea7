# Scoring of vertical models (functions/vertical, io.meshfl.vertical.scoring; issue 16), kept apart from the
# training statements in main.tf. For scoring s of model m, under models/m/scorings/s/:
#   request.json                       governance writes it once; every party and the head read it
#   embeddings/{d}.safetensors         party d writes its signed embeddings once (and HEADs them first)
#   refusals/{d}.json                  or its refusal (it does not hold every pseudonym, no such version)
#   scores.safetensors, outcome.json   the head writes them once; the requester (governance) reads them
# A party reads no other party's embeddings and no scores: the head sees embeddings, as in training.
locals {
  vertical_scoring_request = "models/*/scorings/*/request.json"
  vertical_scoring_party_writes = { for d, cfg in var.domains : d => !(cfg.vertical || cfg.vertical_head) ? [] : [
    "models/*/scorings/*/embeddings/${d}.safetensors",
    "models/*/scorings/*/refusals/${d}.json",
  ] }
  vertical_scoring_party_reads = { for d, _ in var.domains : d => concat(
    length(local.vertical_scoring_party_writes[d]) == 0 ? [] : [local.vertical_scoring_request],
  local.vertical_scoring_party_writes[d]) }
  vertical_scoring_head_writes = ["models/*/scorings/*/scores.safetensors", "models/*/scorings/*/outcome.json"]
  vertical_scoring_head_reads = concat([local.vertical_scoring_request, "models/*/scorings/*/embeddings/*",
  "models/*/scorings/*/refusals/*"], local.vertical_scoring_head_writes)

  # Every key a domain's policy lets it write for scoring (its Deny of every other write is widened by these).
  vertical_scoring_writable = { for d, cfg in var.domains : d => concat(local.vertical_scoring_party_writes[d],
  cfg.vertical_head ? local.vertical_scoring_head_writes : []) }

  domain_vertical_scoring_statements = { for d, cfg in var.domains : d => !(cfg.vertical || cfg.vertical_head) ? [] : [
    {
      Sid      = "ReadVerticalScoringObjects"
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = [for k in concat(local.vertical_scoring_party_reads[d], cfg.vertical_head ? local.vertical_scoring_head_reads : []) : "${local.federation_bucket_arn}/${k}"]
    },
    {
      Sid      = "WriteOwnVerticalScoringObjects"
      Effect   = "Allow"
      Action   = ["s3:PutObject"]
      Resource = [for k in local.vertical_scoring_writable[d] : "${local.federation_bucket_arn}/${k}"]
    },
  ] }

  vertical_head_scoring_statements = [
    {
      Sid      = "ReadVerticalScoringObjects"
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = [for k in local.vertical_scoring_head_reads : "${local.federation_bucket_arn}/${k}"]
    },
    {
      Sid      = "WriteScoresAndScoringOutcomes"
      Effect   = "Allow"
      Action   = ["s3:PutObject"]
      Resource = [for k in local.vertical_scoring_head_writes : "${local.federation_bucket_arn}/${k}"]
    },
  ]

  # The bucket's side: a domain's scoring answers only from its role, scores and outcomes only from a head, the
  # request only from the governance principals; and the cross-account allows for the domains and the head.
  bucket_vertical_scoring_statements = concat(
    [for d, role in local.domains_with_roles : {
      Sid       = "OnlyDomainAnswersItsScorings${replace(title(replace(d, "-", " ")), " ", "")}"
      Effect    = "Deny"
      Principal = "*"
      Action    = ["s3:PutObject", "s3:DeleteObject"]
      Resource  = [for k in local.vertical_scoring_party_writes[d] : "${local.federation_bucket_arn}/${k}"]
      Condition = { ArnNotEquals = { "aws:PrincipalArn" = [role] } }
    } if contains(keys(local.vertical_domains), d)],
    length(local.vertical_head_role_arns) == 0 ? [] : [{
      Sid       = "OnlyHeadsWriteScores"
      Effect    = "Deny"
      Principal = "*"
      Action    = ["s3:PutObject", "s3:DeleteObject"]
      Resource  = [for k in local.vertical_scoring_head_writes : "${local.federation_bucket_arn}/${k}"]
      Condition = { ArnNotEquals = { "aws:PrincipalArn" = local.vertical_head_role_arns } }
    }],
    length(var.governance_principal_arns) == 0 || length(local.vertical_domains) == 0 ? [] : [{
      Sid       = "OnlyGovernanceRequestsScorings"
      Effect    = "Deny"
      Principal = "*"
      Action    = ["s3:PutObject", "s3:DeleteObject"]
      Resource  = ["${local.federation_bucket_arn}/${local.vertical_scoring_request}"]
      Condition = { ArnNotLike = { "aws:PrincipalArn" = var.governance_principal_arns } }
    }],
    var.vertical_head_role_arn == null ? [] : [{
      Sid       = "AllowVerticalHeadScoring"
      Effect    = "Allow"
      Principal = { AWS = [var.vertical_head_role_arn] }
      Action    = ["s3:GetObject", "s3:PutObject"]
      Resource  = [for k in local.vertical_scoring_head_reads : "${local.federation_bucket_arn}/${k}"]
    }],
    [for d, role in local.domains_with_roles : {
      Sid       = "AllowDomain${replace(title(replace(d, "-", " ")), " ", "")}VerticalScoring"
      Effect    = "Allow"
      Principal = { AWS = [role] }
      Action    = ["s3:GetObject", "s3:PutObject"]
      Resource = [for k in distinct(concat(local.vertical_scoring_party_reads[d],
      var.domains[d].vertical_head ? local.vertical_scoring_head_reads : [])) : "${local.federation_bucket_arn}/${k}"]
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
