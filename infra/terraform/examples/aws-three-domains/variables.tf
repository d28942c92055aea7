variable "region" {
  description = "AWS region of the federation and the domains."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Name prefix of the federation."
  type        = string
  default     = "meshfl-demo"
}

variable "vpc_id" {
  description = "VPC for the registry database and the registry Lambda."
  type        = string
}

variable "private_subnet_ids" {
  description = "At least two private subnets of vpc_id, in different availability zones."
  type        = list(string)
}

variable "function_mode" {
  description = "native (provided.al2023, native-build/build.sh lambda) or jvm (java17, mvn -Plambda package)."
  type        = string
  default     = "native"
}

variable "aggregation_zip_path" {
  description = "function.zip of the aggregation function."
  type        = string
  default     = "../../../../aggregation-function/target/function.zip"
}

variable "registry_zip_path" {
  description = "function.zip of the registry function."
  type        = string
  default     = "../../../../functions/registry-function/target/function.zip"
}

variable "training_image_uri" {
  description = "ECR image of the training function, shared by the three domains in this example."
  type        = string
}

variable "jwt_issuer" {
  description = "Issuer of the federation's tokens."
  type        = string
}

variable "jwt_public_key" {
  description = "The issuer's RSA public key (PEM)."
  type        = string
}

variable "aggregation_registry_token_secret_arn" {
  description = "Secrets Manager secret holding the aggregation function's registry JWT (role function)."
  type        = string
}

variable "domains" {
  description = "The three domains: the Secrets Manager secrets holding the domain's Ed25519 key and its registry JWT (role domain, claim domain), and training schedules by model id. Only ARNs: no secret value passes through Terraform."
  type = map(object({
    signing_key_secret_arn    = string
    registry_token_secret_arn = string
    schedules = map(object({
      expression   = string
      timezone     = optional(string, "UTC")
      data_product = optional(string)
    }))
  }))
}

variable "governance_principal_arns" {
  description = "Who may upload first global models."
  type        = list(string)
  default     = []
}

variable "max_model_size_mb" {
  description = "Size in MB of the largest model's safetensors file; sizes the aggregation and sweeper Lambdas' /tmp (null: Lambda's 512 MB, small models only)."
  type        = number
  default     = null
}

variable "sweep_schedule_expression" {
  description = "How often the sweeper ends rounds past their deadline or lease (EventBridge Scheduler expression)."
  type        = string
  default     = "rate(1 minute)"
}
