# ---------------------------------------------------------------- federation bucket

resource "aws_s3_bucket" "federation" {
  bucket        = local.bucket_name
  force_destroy = var.force_destroy
  tags          = local.tags
}

resource "aws_s3_bucket_ownership_controls" "federation" {
  bucket = aws_s3_bucket.federation.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "federation" {
  bucket                  = aws_s3_bucket.federation.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "federation" {
  bucket = aws_s3_bucket.federation.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "federation" {
  bucket = aws_s3_bucket.federation.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "federation" {
  bucket = aws_s3_bucket.federation.id

  rule {
    id     = "noncurrent-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_retention_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # Lifecycle filters are prefixes, and the round number sits under the model id: one rule per model.
  dynamic "rule" {
    for_each = toset(var.models)
    content {
      id     = "expire-round-updates-${rule.value}"
      status = "Enabled"
      filter {
        prefix = "models/${rule.value}/rounds/"
      }
      expiration {
        days = var.round_update_retention_days
      }
    }
  }

  # tmp/ holds sharded rounds' trees only (plan, partials, slices, tasks). A live tree takes minutes; a round
  # stalled past the expiry (an outage) loses finished nodes, and its next take-over rewrites the plan and
  # re-triggers them: same result, paid twice (docs/sharded-aggregation.md).
  dynamic "rule" {
    for_each = toset(var.models)
    content {
      id     = "expire-tmp-${rule.value}"
      status = "Enabled"
      filter {
        prefix = "models/${rule.value}/tmp/"
      }
      expiration {
        days = 1
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.federation]
}

resource "aws_s3_bucket_policy" "federation" {
  bucket = aws_s3_bucket.federation.id
  policy = module.policies.federation_bucket_policy

  depends_on = [aws_s3_bucket_public_access_block.federation]
}
