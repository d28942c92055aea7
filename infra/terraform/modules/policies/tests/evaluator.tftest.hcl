# The evaluator is test equipment: these runs show it can say both yes and no, so the policy tests that
# rely on it could fail.

run "evaluator_follows_iam_wildcards_and_deny_precedence" {
  command = plan

  module {
    source = "./tests/evaluator"
  }

  variables {
    policies = [jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Effect = "Allow", Action = "s3:Get*", Resource = "arn:aws:s3:::b/a/*" },
        { Effect = "Deny", Action = ["s3:GetObject"], Resource = ["arn:aws:s3:::b/a/secret/*"] },
        { Effect = "Deny", NotAction = ["s3:GetObject"], NotResource = ["arn:aws:s3:::b/a/?.txt", "arn:aws:s3:::b", "arn:aws:s3:::c"] },
        { Effect = "Allow", Action = ["s3:PutObject"], Resource = ["arn:aws:s3:::b/a/?.txt"] },
        { Effect = "Allow", Action = ["s3:ListBucket"], Resource = ["arn:aws:s3:::c"], Condition = { StringLikeIfExists = { "s3:prefix" = ["a/*"] } } },
        {
          Effect    = "Allow", Principal = "*", Action = ["s3:ListBucket"], Resource = ["arn:aws:s3:::b"]
          Condition = { StringLike = { "s3:prefix" = ["a/*"] }, ArnNotEquals = { "aws:PrincipalArn" = ["arn:aws:iam::1:role/x"] } }
        },
      ]
    })]
    requests = {
      get_under_prefix        = { action = "S3:GETOBJECT", resource = "arn:aws:s3:::b/a/x/y.bin" }
      get_elsewhere           = { action = "s3:GetObject", resource = "arn:aws:s3:::b/c/y.bin" }
      get_denied_secret       = { action = "s3:GetObject", resource = "arn:aws:s3:::b/a/secret/k" }
      put_one_char_name       = { action = "s3:PutObject", resource = "arn:aws:s3:::b/a/1.txt" }
      put_two_char_name       = { action = "s3:PutObject", resource = "arn:aws:s3:::b/a/12.txt" }
      list_matching_prefix    = { action = "s3:ListBucket", resource = "arn:aws:s3:::b", principal_arn = "arn:aws:iam::1:role/y", context = { "s3:prefix" = "a/q", "aws:PrincipalArn" = "arn:aws:iam::1:role/y" } }
      list_other_prefix       = { action = "s3:ListBucket", resource = "arn:aws:s3:::b", principal_arn = "arn:aws:iam::1:role/y", context = { "s3:prefix" = "c/q", "aws:PrincipalArn" = "arn:aws:iam::1:role/y" } }
      list_excluded_principal = { action = "s3:ListBucket", resource = "arn:aws:s3:::b", principal_arn = "arn:aws:iam::1:role/x", context = { "s3:prefix" = "a/q", "aws:PrincipalArn" = "arn:aws:iam::1:role/x" } }
      list_without_prefix_key = { action = "s3:ListBucket", resource = "arn:aws:s3:::b", principal_arn = "arn:aws:iam::1:role/y", context = { "aws:PrincipalArn" = "arn:aws:iam::1:role/y" } }
      get_dot_is_not_any_char = { action = "s3:PutObject", resource = "arn:aws:s3:::b/a/1xtxt" }
      if_exists_without_key   = { action = "s3:ListBucket", resource = "arn:aws:s3:::c" }
      if_exists_matching_key  = { action = "s3:ListBucket", resource = "arn:aws:s3:::c", context = { "s3:prefix" = "a/q" } }
      if_exists_other_key     = { action = "s3:ListBucket", resource = "arn:aws:s3:::c", context = { "s3:prefix" = "z/q" } }
    }
    keys = {
      star_spans_slashes = { wildcard = "models/*/x", key = "models/a/b/x" }
      star_needs_suffix  = { wildcard = "models/*.safetensors", key = "models/a.bin" }
    }
  }

  assert {
    condition = output.allowed == {
      get_under_prefix        = true
      get_elsewhere           = false
      get_denied_secret       = false
      put_one_char_name       = true
      put_two_char_name       = false
      list_matching_prefix    = true
      list_other_prefix       = false
      list_excluded_principal = false
      list_without_prefix_key = false
      get_dot_is_not_any_char = false
      if_exists_without_key   = true
      if_exists_matching_key  = true
      if_exists_other_key     = false
    }
    error_message = "The evaluator decided ${jsonencode(output.allowed)}."
  }

  assert {
    condition     = output.key_matches == { star_spans_slashes = true, star_needs_suffix = false }
    error_message = "Wildcard matching gave ${jsonencode(output.key_matches)}."
  }
}
