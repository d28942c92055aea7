output "update_key_wildcard" {
  description = "Pattern of the update keys domains write (EventBridge/IAM wildcard syntax)."
  value       = local.update_key_wildcard
}

output "update_key_regex" {
  description = "update_key_wildcard as an anchored RE2 regex with EventBridge wildcard semantics (`*` matches any characters, `/` included)."
  value       = local.update_key_regex
}

output "aggregator_written_wildcards" {
  description = "Key patterns the aggregation function writes (global models, strategy state, temporary objects)."
  value       = local.aggregator_written_wildcards
}

output "aggregation_event_wildcards" {
  description = "Keys whose Object Created events go to the aggregation function (EventBridge/IAM wildcard syntax): domains' update keys and the objects of a sharded round's tree (models/*/tmp/*-tree-*/*)."
  value       = local.aggregation_event_wildcards
}

output "update_event_pattern" {
  description = "EventBridge event pattern (JSON) that matches Object Created events of update keys and of sharded rounds' tree objects in the federation bucket, and nothing else."
  value       = jsonencode(local.update_event_pattern)
}

output "update_event_input_paths" {
  description = "EventBridge input transformer paths that turn the event into an S3 event notification (see update_event_input_template)."
  value       = local.update_event_input_paths
}

output "update_event_input_template" {
  description = "EventBridge input transformer template producing the S3 event notification JSON the aggregation function parses."
  value       = trimspace(local.update_event_input_template)
}

output "s3_notification_filters" {
  description = "Prefix/suffix filters for S3 notifications to SQS when update_event_path = s3-notification: per model, its update keys (models/{m}/rounds/ + .safetensors) and its sharded rounds' tree objects (models/{m}/tmp/, no suffix: null)."
  value       = local.s3_notification_filters
}

output "domain_training_policies" {
  description = "IAM policy JSON per domain id for that domain's training function role."
  value       = { for d, p in local.domain_training_policies : d => jsonencode(p) }
}

output "aggregation_policy" {
  description = "IAM policy JSON for the aggregation function role."
  value       = jsonencode(local.aggregation_policy)
}

output "sweeper_policy" {
  description = "IAM policy JSON for the sweeper's role: the aggregation policy without the update queue."
  value       = jsonencode(local.sweeper_policy)
}

output "vertical_head_policy" {
  description = "IAM policy JSON for the governance-side vertical head's role (the training image with the head of vertical models whose labels are shared): every party's embeddings and the shared labels in; gradients, head states and round outcomes out."
  value       = jsonencode(local.vertical_head_policy)
}

output "vertical_event_wildcards" {
  description = "Object keys whose Object Created events drive the vertical steps, by who receives them (EventBridge `wildcard` syntax): `party` every vertical domain (settings and PSI sets; the function drops keys naming the wrong writer), `gradients` by domain, `head` the head (embeddings and the governance-side head state; a domain-owned head's state is under its own prefix, in `domain_head` by domain). Scoring: `party` also selects requests, `head` the parties' answers (embeddings, refusals)."
  value = {
    party       = concat(["models/*/vrounds/psi/*/session.json", "models/*/vrounds/psi/*/sets/*.points", "models/*/vrounds/*/round.json"], local.vertical_scoring_event_wildcards.party)
    gradients   = { for d, _ in local.vertical_domains : d => "models/*/vrounds/*/steps/*/gradients/${d}.safetensors" }
    head        = concat(["models/*/vrounds/*/round.json", "models/*/vrounds/*/steps/*/embeddings/*.safetensors", "models/*/vrounds/*/head/*.safetensors"], local.vertical_scoring_event_wildcards.head)
    domain_head = { for d, _ in local.vertical_head_domains : d => "domains/${d}/vertical/*/vrounds/*/head/*.safetensors" }
  }
}

output "registry_policy" {
  description = "IAM policy JSON for the registry function role."
  value       = jsonencode(local.registry_policy)
}

output "federation_bucket_policy" {
  description = "Bucket policy JSON for the federation bucket."
  value       = jsonencode(local.federation_bucket_policy)
}

output "update_queue_policy" {
  description = "SQS queue policy JSON admitting update events only from their source (null without update_queue_arn)."
  value       = local.update_queue_policy == null ? null : jsonencode(local.update_queue_policy)
}

output "s3_notification_configuration" {
  description = "S3 notification configuration JSON (aws s3api put-bucket-notification-configuration) sending update keys and sharded rounds' tree objects of var.models to the update queue; null without update_queue_arn."
  value       = local.s3_notification_configuration == null ? null : jsonencode(local.s3_notification_configuration)
}

output "update_queue_reader_policy" {
  description = "IAM policy JSON for whoever moves update events out of the queue (the Knative aws-sqs IntegrationSource); null without update_queue_arn."
  value       = local.update_queue_reader_policy == null ? null : jsonencode(local.update_queue_reader_policy)
}
