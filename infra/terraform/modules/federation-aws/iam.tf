# ---------------------------------------------------------------- IAM

locals {
  lambda_assume_role = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
}

resource "aws_iam_role" "aggregation" {
  name               = "${var.name}-aggregation"
  assume_role_policy = local.lambda_assume_role
  tags               = local.tags
}

resource "aws_iam_role_policy" "aggregation" {
  name   = "aggregation"
  role   = aws_iam_role.aggregation.id
  policy = module.policies.aggregation_policy
}

resource "aws_iam_role_policy" "aggregation_logs" {
  name = "logs"
  role = aws_iam_role.aggregation.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${aws_cloudwatch_log_group.aggregation.arn}:*"]
    }]
  })
}

resource "aws_iam_role" "registry" {
  name               = "${var.name}-registry"
  assume_role_policy = local.lambda_assume_role
  tags               = local.tags
}

resource "aws_iam_role_policy" "registry" {
  name   = "registry"
  role   = aws_iam_role.registry.id
  policy = module.policies.registry_policy
}

resource "aws_iam_role_policy" "registry_logs" {
  name = "logs"
  role = aws_iam_role.registry.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${aws_cloudwatch_log_group.registry.arn}:*"]
    }]
  })
}

# Network interfaces in the VPC: the AWS-managed policy is the documented minimum for this.
resource "aws_iam_role_policy_attachment" "registry_vpc" {
  role       = aws_iam_role.registry.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}
