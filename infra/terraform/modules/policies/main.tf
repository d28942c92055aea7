locals {
  federation_bucket_arn = "arn:${var.partition}:s3:::${var.federation_bucket_name}"

  # The object keys of the registry contract (docs/registry-api.md). IAM and EventBridge wildcards both
  # let `*` span `/`, so these patterns are a second wall: the aggregator still parses keys strictly and
  # verifies each domain's Ed25519 signature before it counts an update.
  update_key_wildcard = "models/*/rounds/*/updates/*.safetensors"
  # A sharded round's tree (issue 18): every object the aggregation function writes under
  # models/{m}/tmp/{n}-tree-{plan}/ (task, partial, slice) runs the node it completes, so these keys reach the
  # aggregation function as update keys do. Its `plan.json` is delivered too and ignored by the function.
  tree_key_wildcard = "models/*/tmp/*-tree-*/*"
  # Every key whose Object Created event the aggregation function takes, and nothing else.
  aggregation_event_wildcards  = [local.update_key_wildcard, local.tree_key_wildcard]
  global_key_wildcard          = "models/*/global/*"
  aggregator_written_wildcards = ["models/*/global/*", "models/*/state/*", "models/*/tmp/*"]

  domain_update_key_wildcard = { for d, _ in var.domains : d => "models/*/rounds/*/updates/${d}.safetensors" }
  # Where a domain publishes its data products in the federation bucket; the training function reads
  # them from there (the enrolment's location must be in the bucket it is configured with).
  domain_data_wildcard = { for d, _ in var.domains : d => "domains/${d}/*" }

  # S3 answers a HEAD of a missing key with 404 only to a caller that may list the bucket, and 403
  # otherwise. HEAD and GET requests carry no s3:prefix, so the condition must be IfExists: with plain
  # StringLike the key is missing and the statement never applies to them.
  domain_list_prefixes = { for d, _ in var.domains : d => ["domains/${d}/*", "models/*"] }

  # Vertical models (functions/vertical, training-function's `vertical` export). Every statement names the models it
  # is for: a domain reads and writes the objects of the models it is a party of (domains[*].vertical), a head those of
  # the models it heads (domains[*].vertical_head, and vertical_head_models for the governance side), so the head of one
  # model reaches nothing of another. Within a model the keys' last segment names the writer (a party id cannot
  # contain `/`), so one wildcard confines each party to its own embeddings, gradients, sets and labels.
  vertical_domains = { for d, cfg in var.domains : d => distinct(concat(cfg.vertical, cfg.vertical_head))
  if length(cfg.vertical) + length(cfg.vertical_head) > 0 }
  vertical_party_reads = { for d, models in local.vertical_domains : d => flatten([for m in models : [
    "models/${m}/vrounds/psi/*/session.json",
    "models/${m}/vrounds/*/round.json",
    "models/${m}/vrounds/psi/*/sets/*",
    "models/${m}/vrounds/*/outcome.json",
    "models/${m}/vrounds/*/steps/*/embeddings/${d}.safetensors",
    "models/${m}/vrounds/*/steps/*/gradients/${d}.safetensors",
    # Its own shared labels only (HEAD before the write-once): no party reads another's.
    "models/${m}/vrounds/psi/*/labels/${d}.labels.json",
  ]]) }
  vertical_party_writes = { for d, models in local.vertical_domains : d => concat(flatten([for m in models : [
    "models/${m}/vrounds/psi/*/sets/*/${d}.points",
    "models/${m}/vrounds/psi/*/labels/${d}.labels.json",
    "models/${m}/vrounds/*/steps/*/embeddings/${d}.safetensors",
  ]]), ["domains/${d}/vertical/*"]) }
  # What only domain d writes, in every model (the bucket's Deny for everyone else).
  vertical_party_owned = { for d, _ in local.vertical_domains : d => [
    "models/*/vrounds/psi/*/sets/*/${d}.points",
    "models/*/vrounds/psi/*/labels/${d}.labels.json",
    "models/*/vrounds/*/steps/*/embeddings/${d}.safetensors",
  ] }
  # The PSI session's private folder of domain d: its blinding scalar and its alignment. Only d's role may read or write
  # it, whatever an identity policy in the bucket's account says (finding 7 of review 5): the scalar of every party
  # would let a holder of every blinded set test guessed entity keys; a scalar planted before the party's write-once
  # would be one the planter knows.
  vertical_psi_secrets = { for d, _ in local.vertical_domains : d => "domains/${d}/vertical/*/psi/*" }
  # The head of model m: every party's embeddings and the shared labels in; gradients and the outcome out. The
  # governance-side head keeps its state under models/m/vrounds/*/head/, a domain's under its own prefix.
  vertical_head_reads_of = { for m in local.vertical_headed_models : m => [
    "models/${m}/vrounds/psi/*/session.json",
    "models/${m}/vrounds/*/round.json",
    "models/${m}/vrounds/psi/*/labels/*",
    "models/${m}/vrounds/*/steps/*/embeddings/*",
    "models/${m}/vrounds/*/steps/*/gradients/*",
    "models/${m}/vrounds/*/outcome.json",
  ] }
  vertical_head_writes_of = { for m in local.vertical_headed_models : m => [
    "models/${m}/vrounds/*/steps/*/gradients/*",
    "models/${m}/vrounds/*/outcome.json",
  ] }
  vertical_headed_models = distinct(concat(var.vertical_head_models, flatten([for d, cfg in var.domains : cfg.vertical_head])))
  vertical_head_reads    = { for d, cfg in var.domains : d => flatten([for m in cfg.vertical_head : local.vertical_head_reads_of[m]]) }
  vertical_head_writes   = { for d, cfg in var.domains : d => flatten([for m in cfg.vertical_head : local.vertical_head_writes_of[m]]) }
  governance_head_reads = flatten([for m in var.vertical_head_models : concat(local.vertical_head_reads_of[m],
  ["models/${m}/vrounds/*/head/*"])])
  governance_head_writes = flatten([for m in var.vertical_head_models : concat(local.vertical_head_writes_of[m],
  ["models/${m}/vrounds/*/head/*"])])
  vertical_head_domains   = { for d, cfg in var.domains : d => cfg.training_role_arn if length(cfg.vertical_head) > 0 }
  vertical_head_role_arns = compact(concat([var.vertical_head_role_arn], [for d, role in local.vertical_head_domains : role]))
  # Per model, the roles of its heads, when every one of them is known (else the model gets no Deny of its own: the
  # bucket-wide Deny below still keeps everyone but a head out).
  vertical_heads_of = { for m in local.vertical_headed_models : m => concat(
    contains(var.vertical_head_models, m) ? [var.vertical_head_role_arn] : [],
  [for d, cfg in var.domains : cfg.training_role_arn if contains(cfg.vertical_head, m)]) }
  vertical_known_heads_of = { for m, roles in local.vertical_heads_of : m => roles if length(roles) > 0 && alltrue([for r in roles : r != null]) }

  domain_vertical_statements = { for d, cfg in var.domains : d => !contains(keys(local.vertical_domains), d) ? [] : [
    {
      Sid      = "ReadVerticalObjects"
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = [for k in concat(local.vertical_party_reads[d], local.vertical_head_reads[d]) : "${local.federation_bucket_arn}/${k}"]
    },
    {
      Sid      = "WriteOwnVerticalObjects"
      Effect   = "Allow"
      Action   = ["s3:PutObject"]
      Resource = [for k in concat(local.vertical_party_writes[d], local.vertical_head_writes[d]) : "${local.federation_bucket_arn}/${k}"]
    },
  ] }
  domain_writable = { for d, cfg in var.domains : d => concat([local.domain_update_key_wildcard[d]],
    contains(keys(local.vertical_domains), d) ? local.vertical_party_writes[d] : [],
  local.vertical_head_writes[d], local.vertical_scoring_writable[d]) }

  vertical_head_policy = {
    Version = "2012-10-17"
    Statement = concat(
      # IAM rejects a policy without statements; a head of no model may do nothing.
      length(var.vertical_head_models) > 0 ? [] : [{
        Sid      = "HeadsNoModel"
        Effect   = "Deny"
        Action   = ["s3:*"]
        Resource = ["*"]
      }],
      length(var.vertical_head_models) == 0 ? [] : [{
        Sid       = "ListFederationModels"
        Effect    = "Allow"
        Action    = ["s3:ListBucket"]
        Resource  = [local.federation_bucket_arn]
        Condition = { StringLikeIfExists = { "s3:prefix" = [for m in var.vertical_head_models : "models/${m}/*"] } }
      }],
      length(var.vertical_head_models) == 0 ? [] : [{
        Sid      = "ReadVerticalObjects"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = [for k in local.governance_head_reads : "${local.federation_bucket_arn}/${k}"]
      }],
      length(var.vertical_head_models) == 0 ? [] : [{
        Sid      = "WriteGradientsHeadStateAndOutcome"
        Effect   = "Allow"
        Action   = ["s3:PutObject"]
        Resource = [for k in local.governance_head_writes : "${local.federation_bucket_arn}/${k}"]
      }],
      length(var.vertical_head_models) == 0 ? [] : [{
        Sid         = "WriteNothingElse"
        Effect      = "Deny"
        Action      = ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectAcl", "s3:RestoreObject"]
        NotResource = [for k in concat(local.governance_head_writes, local.governance_scoring_head_writes) : "${local.federation_bucket_arn}/${k}"]
      }],
      local.vertical_head_scoring_statements,
      length(var.vertical_head_secret_arns) == 0 ? [] : [{
        Sid      = "ReadOwnSecrets"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = var.vertical_head_secret_arns
      }],
      local.kms_statements,
    )
  }

  # EventBridge `wildcard` matching has the same semantics as the patterns above; the regex is what the
  # tests match keys against (see outputs.tf).
  update_key_regex = format("^%s$", replace(replace(replace(local.update_key_wildcard, "/[.+^$(){}|\\[\\]\\\\]/", "\\$0"), "*", ".*"), "?", "."))

  update_event_pattern = {
    source      = ["aws.s3"]
    detail-type = ["Object Created"]
    detail = {
      bucket = { name = [var.federation_bucket_name] }
      object = { key = [for w in local.aggregation_event_wildcards : { wildcard = w }] }
    }
  }

  # EventBridge hands SQS an "Object Created" event; the input transformer rewrites it into the S3 event
  # notification shape the aggregation function already parses (Records[].s3.bucket.name / object.key /
  # eTag). Keys of this contract contain only [a-z0-9._/-], so the URL-decoding the aggregator applies to
  # S3 notification keys leaves them unchanged.
  update_event_input_paths = {
    bucket    = "$.detail.bucket.name"
    key       = "$.detail.object.key"
    size      = "$.detail.object.size"
    etag      = "$.detail.object.etag"
    sequencer = "$.detail.object.sequencer"
    reason    = "$.detail.reason"
    time      = "$.time"
    region    = "$.region"
  }
  update_event_input_template = <<-EOT
    {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":<region>,"eventTime":<time>,"eventName":"ObjectCreated:<reason>","s3":{"s3SchemaVersion":"1.0","bucket":{"name":<bucket>,"arn":"arn:${var.partition}:s3:::${var.federation_bucket_name}"},"object":{"key":<key>,"size":<size>,"eTag":<etag>,"sequencer":<sequencer>}}}]}
  EOT

  # S3's own notification filters allow one prefix and one suffix per rule, and `models/` + `.safetensors`
  # would also match the global and state models the aggregator writes; a prefix per model does not. The tree's
  # objects need a second rule per model: `models/{m}/tmp/` with no suffix (a node's task object has none); the
  # aggregation function writes nothing else under tmp/ in the bucket (a single invocation's scratch is local).
  s3_notification_rules = flatten([for m in var.models : [
    { id = "meshfl-updates-${m}", prefix = "models/${m}/rounds/", suffix = ".safetensors" },
    { id = "meshfl-tree-${m}", prefix = "models/${m}/tmp/", suffix = null },
  ]])
  s3_notification_filters = [for r in local.s3_notification_rules : { prefix = r.prefix, suffix = r.suffix }]

  # The same filters as `aws s3api put-bucket-notification-configuration` input, for setups that are not
  # managed by federation-aws (the Knative example on S3).
  s3_notification_configuration = var.update_queue_arn == null ? null : {
    QueueConfigurations = concat([for r in local.s3_notification_rules : {
      Id       = r.id
      QueueArn = var.update_queue_arn
      Events   = ["s3:ObjectCreated:*"]
      Filter = { Key = { FilterRules = concat([{ Name = "prefix", Value = r.prefix }],
      r.suffix == null ? [] : [{ Name = "suffix", Value = r.suffix }]) } }
      }], [for m in var.vertical_models : {
      # Every vertical object of the model: the functions route by key (Knative Triggers cannot see it).
      Id       = "meshfl-vertical-${m}"
      QueueArn = var.update_queue_arn
      Events   = ["s3:ObjectCreated:*"]
      Filter   = { Key = { FilterRules = [{ Name = "prefix", Value = "models/${m}/vrounds/" }] } }
    }], local.vertical_scoring_notification_configurations)
  }

  # Whoever moves update events out of the queue (the Knative aws-sqs IntegrationSource).
  update_queue_reader_policy = var.update_queue_arn == null ? null : {
    Version = "2012-10-17"
    Statement = [{
      Sid      = "ReadUpdateQueue"
      Effect   = "Allow"
      Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"]
      Resource = [var.update_queue_arn]
    }]
  }

  kms_statements = var.kms_key_arn == null ? [] : [{
    Sid      = "UseFederationBucketKey"
    Effect   = "Allow"
    Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
    Resource = [var.kms_key_arn]
  }]

  domain_training_policies = { for d, cfg in var.domains : d => {
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid      = "ListOwnDataBucket"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = ["arn:${var.partition}:s3:::${cfg.data_bucket_name}"]
      },
      {
        Sid      = "ReadOwnDataProducts"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["arn:${var.partition}:s3:::${cfg.data_bucket_name}/*"]
      },
      {
        Sid      = "ReadGlobalModels"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["${local.federation_bucket_arn}/${local.global_key_wildcard}"]
      },
      {
        # HEAD of its own update key before training: an update written already is not trained again.
        Sid      = "ReadOwnUpdates"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["${local.federation_bucket_arn}/${local.domain_update_key_wildcard[d]}"]
      },
      {
        Sid      = "ReadOwnDataProductsInFederationBucket"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["${local.federation_bucket_arn}/${local.domain_data_wildcard[d]}"]
      },
      {
        Sid       = "ListFederationBucketSoMissingKeysAre404"
        Effect    = "Allow"
        Action    = ["s3:ListBucket"]
        Resource  = [local.federation_bucket_arn]
        Condition = { StringLikeIfExists = { "s3:prefix" = local.domain_list_prefixes[d] } }
      },
      {
        Sid      = "WriteOwnUpdates"
        Effect   = "Allow"
        Action   = ["s3:PutObject"]
        Resource = ["${local.federation_bucket_arn}/${local.domain_update_key_wildcard[d]}"]
      },
      {
        # Holds even if someone later attaches a broader policy to the role.
        Sid         = "WriteNothingElse"
        Effect      = "Deny"
        Action      = ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectAcl", "s3:RestoreObject"]
        NotResource = [for k in local.domain_writable[d] : "${local.federation_bucket_arn}/${k}"]
      },
      ],
      local.domain_vertical_statements[d],
      local.domain_vertical_scoring_statements[d],
      cfg.signing_key_secret_arn == null ? [] : [{
        Sid      = "ReadOwnSigningKey"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [cfg.signing_key_secret_arn]
      }],
      cfg.registry_token_secret_arn == null ? [] : [{
        Sid      = "ReadOwnRegistryToken"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [cfg.registry_token_secret_arn]
      }],
      local.kms_statements,
    )
  } if cfg.data_bucket_name != null }

  # What the aggregation artifact does to objects and secrets, whichever of its functions runs: `aggregate`
  # (update events) and `sweep` (on a schedule: closes, aggregates and takes over rounds that are due).
  aggregator_statements = [
    {
      Sid      = "ListFederationModels"
      Effect   = "Allow"
      Action   = ["s3:ListBucket"]
      Resource = [local.federation_bucket_arn]
      # IfExists: the HEADs of the normally missing next global model and state carry no s3:prefix and
      # must see 404, not 403 (see domain_list_prefixes).
      Condition = {
        StringLikeIfExists = { "s3:prefix" = ["models/*"] }
      }
    },
    {
      Sid      = "ReadUpdatesAndModels"
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = [for w in concat([local.update_key_wildcard], local.aggregator_written_wildcards) : "${local.federation_bucket_arn}/${w}"]
    },
    {
      Sid      = "WriteGlobalStateAndTmp"
      Effect   = "Allow"
      Action   = ["s3:PutObject"]
      Resource = [for w in local.aggregator_written_wildcards : "${local.federation_bucket_arn}/${w}"]
    },
    {
      Sid      = "DeleteTmp"
      Effect   = "Allow"
      Action   = ["s3:DeleteObject", "s3:AbortMultipartUpload"]
      Resource = ["${local.federation_bucket_arn}/models/*/tmp/*"]
    },
  ]

  aggregator_secret_statements = length(var.aggregation_secret_arns) == 0 ? [] : [{
    Sid      = "ReadRegistryToken"
    Effect   = "Allow"
    Action   = ["secretsmanager:GetSecretValue"]
    Resource = var.aggregation_secret_arns
  }]

  aggregation_policy = {
    Version = "2012-10-17"
    Statement = concat(
      local.aggregator_statements,
      var.update_queue_arn == null ? [] : [{
        Sid      = "ConsumeUpdateQueue"
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
        Resource = [var.update_queue_arn]
      }],
      local.aggregator_secret_statements,
      local.kms_statements,
    )
  }

  # The sweeper is the aggregation artifact run by a schedule: the same objects and registry token, and no
  # queue (nothing is consumed; the schedule invokes it directly).
  sweeper_policy = {
    Version   = "2012-10-17"
    Statement = concat(local.aggregator_statements, local.aggregator_secret_statements, local.kms_statements)
  }

  # Who may write global/, state/ and tmp/: the aggregation function and the sweeper (which aggregates too).
  aggregator_role_arns = compact([var.aggregation_role_arn, var.sweeper_role_arn])

  # The registry never touches objects: it records keys and checksums that the functions report.
  registry_policy = {
    Version = "2012-10-17"
    Statement = concat(
      var.round_events_bus_arn == null ? [] : [{
        Sid      = "PublishRoundEvents"
        Effect   = "Allow"
        Action   = ["events:PutEvents"]
        Resource = [var.round_events_bus_arn]
      }],
      length(var.registry_secret_arns) == 0 ? [] : [{
        Sid      = "ReadDatabaseCredentials"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = var.registry_secret_arns
      }],
      # IAM rejects a policy without statements; this one grants nothing the function could misuse.
      var.round_events_bus_arn == null && length(var.registry_secret_arns) == 0 ? [{
        Sid      = "NothingToGrant"
        Effect   = "Deny"
        Action   = ["s3:*"]
        Resource = ["*"]
      }] : [],
    )
  }

  # The resource side of the same rules: whatever identity policies say, the bucket accepts each domain's
  # update key only from that domain's role, and global/state/tmp only from the aggregator and the sweeper
  # (plus the governance principals for the first global model).
  domains_with_roles = { for d, cfg in var.domains : d => cfg.training_role_arn if cfg.training_role_arn != null }

  federation_bucket_policy = {
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["s3:*"]
        Resource  = [local.federation_bucket_arn, "${local.federation_bucket_arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      }],
      [for d, role in local.domains_with_roles : {
        Sid       = "OnlyDomainWritesItsUpdates${replace(title(replace(d, "-", " ")), " ", "")}"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["s3:PutObject"]
        Resource  = ["${local.federation_bucket_arn}/${local.domain_update_key_wildcard[d]}"]
        Condition = { ArnNotEquals = { "aws:PrincipalArn" = [role] } }
      }],
      length(local.aggregator_role_arns) == 0 ? [] : [{
        Sid       = "OnlyAggregatorWritesStateAndTmp"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["s3:PutObject", "s3:DeleteObject"]
        Resource  = ["${local.federation_bucket_arn}/models/*/state/*", "${local.federation_bucket_arn}/models/*/tmp/*"]
        Condition = { ArnNotEquals = { "aws:PrincipalArn" = local.aggregator_role_arns } }
      }],
      length(local.aggregator_role_arns) == 0 ? [] : [{
        Sid       = "OnlyAggregatorAndGovernanceWriteGlobal"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["s3:PutObject", "s3:DeleteObject"]
        Resource  = ["${local.federation_bucket_arn}/models/*/global/*"]
        Condition = { ArnNotLike = { "aws:PrincipalArn" = concat(local.aggregator_role_arns, var.governance_principal_arns) } }
      }],
      # Vertical objects: a domain's embeddings and blinded sets only from that domain's role, its PSI folder (scalar,
      # alignment) read or written by nobody else; gradients, the head's state and outcomes only from a head, and for a
      # model whose heads are known only from its own; the settings only from the governance principals.
      [for d, role in local.domains_with_roles : {
        Sid       = "OnlyDomainWritesItsVerticalObjects${replace(title(replace(d, "-", " ")), " ", "")}"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["s3:PutObject"]
        Resource  = [for k in local.vertical_party_owned[d] : "${local.federation_bucket_arn}/${k}"]
        Condition = { ArnNotEquals = { "aws:PrincipalArn" = [role] } }
      } if contains(keys(local.vertical_domains), d)],
      [for d, role in local.domains_with_roles : {
        Sid       = "OnlyDomainTouchesItsPsiSecrets${replace(title(replace(d, "-", " ")), " ", "")}"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObjectVersion"]
        Resource  = ["${local.federation_bucket_arn}/${local.vertical_psi_secrets[d]}"]
        Condition = { ArnNotEquals = { "aws:PrincipalArn" = [role] } }
      } if contains(keys(local.vertical_domains), d)],
      length(local.vertical_head_role_arns) == 0 ? [] : [{
        Sid       = "OnlyHeadsWriteGradientsHeadStateAndOutcomes"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["s3:PutObject", "s3:DeleteObject"]
        Resource = [for k in ["models/*/vrounds/*/steps/*/gradients/*", "models/*/vrounds/*/outcome.json", "models/*/vrounds/*/head/*"] :
        "${local.federation_bucket_arn}/${k}"]
        Condition = { ArnNotEquals = { "aws:PrincipalArn" = local.vertical_head_role_arns } }
      }],
      [for i, m in local.vertical_headed_models : {
        Sid       = "OnlyItsHeadsWriteVerticalModel${i}"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["s3:PutObject", "s3:DeleteObject"]
        Resource  = [for k in concat(local.vertical_head_writes_of[m], ["models/${m}/vrounds/*/head/*"]) : "${local.federation_bucket_arn}/${k}"]
        Condition = { ArnNotEquals = { "aws:PrincipalArn" = local.vertical_known_heads_of[m] } }
      } if contains(keys(local.vertical_known_heads_of), m)],
      length(var.governance_principal_arns) == 0 || length(local.vertical_domains) == 0 ? [] : [{
        Sid       = "OnlyGovernanceDeclaresVerticalSessionsAndRounds"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["s3:PutObject", "s3:DeleteObject"]
        Resource  = [for k in ["models/*/vrounds/psi/*/session.json", "models/*/vrounds/*/round.json"] : "${local.federation_bucket_arn}/${k}"]
        Condition = { ArnNotLike = { "aws:PrincipalArn" = var.governance_principal_arns } }
      }],
      var.vertical_head_role_arn == null || length(var.vertical_head_models) == 0 ? [] : [{
        Sid       = "AllowVerticalHead"
        Effect    = "Allow"
        Principal = { AWS = [var.vertical_head_role_arn] }
        Action    = ["s3:GetObject", "s3:PutObject"]
        Resource  = [for k in local.governance_head_reads : "${local.federation_bucket_arn}/${k}"]
      }],
      # Domains may live in other accounts: cross-account access needs the bucket to allow it too.
      [for d, role in local.domains_with_roles : {
        Sid       = "AllowDomain${replace(title(replace(d, "-", " ")), " ", "")}"
        Effect    = "Allow"
        Principal = { AWS = [role] }
        Action    = ["s3:GetObject", "s3:PutObject"]
        Resource  = ["${local.federation_bucket_arn}/${local.global_key_wildcard}", "${local.federation_bucket_arn}/${local.domain_update_key_wildcard[d]}"]
      }],
      [for d, role in local.domains_with_roles : {
        Sid       = "AllowDomain${replace(title(replace(d, "-", " ")), " ", "")}ReadData"
        Effect    = "Allow"
        Principal = { AWS = [role] }
        Action    = ["s3:GetObject"]
        Resource  = ["${local.federation_bucket_arn}/${local.domain_data_wildcard[d]}"]
      }],
      [for d, role in local.domains_with_roles : {
        Sid       = "AllowDomain${replace(title(replace(d, "-", " ")), " ", "")}Vertical"
        Effect    = "Allow"
        Principal = { AWS = [role] }
        Action    = ["s3:GetObject", "s3:PutObject"]
        Resource = [for k in distinct(concat(local.vertical_party_reads[d], local.vertical_party_writes[d],
        local.vertical_head_reads[d])) : "${local.federation_bucket_arn}/${k}"]
      } if contains(keys(local.vertical_domains), d)],
      [for d, role in local.domains_with_roles : {
        Sid       = "AllowDomain${replace(title(replace(d, "-", " ")), " ", "")}List"
        Effect    = "Allow"
        Principal = { AWS = [role] }
        Action    = ["s3:ListBucket"]
        Resource  = [local.federation_bucket_arn]
        Condition = { StringLikeIfExists = { "s3:prefix" = local.domain_list_prefixes[d] } }
      }],
      local.bucket_vertical_scoring_statements,
    )
  }

  update_queue_policy = var.update_queue_arn == null ? null : {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AcceptUpdateEventsFromTheirSourceOnly"
      Effect    = "Allow"
      Principal = { Service = [var.update_event_path == "eventbridge" ? "events.amazonaws.com" : "s3.amazonaws.com"] }
      Action    = ["sqs:SendMessage"]
      Resource  = [var.update_queue_arn]
      Condition = { ArnEquals = { "aws:SourceArn" = [coalesce(var.update_event_source_arn, local.federation_bucket_arn)] } }
    }]
  }
}
