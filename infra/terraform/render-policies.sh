#!/usr/bin/env bash
# Renders the IAM documents of modules/policies that govern the federation bucket into
# functions/local-mesh/src/main/resources/io/meshfl/mesh/iam/rendered-policies.json, which the local mesh
# enforces on every S3 request (the same documents a deployment attaches, not a hand-written mirror).
# Names that differ per installation are placeholders the local mesh fills in:
#   ${federation_bucket}  the federation bucket     ${domain}  a domain id (statements naming it repeat per domain)
#   ${model}              the vertical model of the vertical documents (a party of it, and its head)
# `render-policies.sh --check` fails when the committed file differs from what the module renders now
# (infra/terraform/test.sh runs it). Needs Terraform only: the module has no providers.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
target="$here/../../functions/local-mesh/src/main/resources/io/meshfl/mesh/iam/rendered-policies.json"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A private copy: the rendering must not leave state or .terraform/ in the source tree.
cp -R "$here/modules/policies" "$work/policies"
mkdir "$work/root"
# The principal ARNs are the local mesh's (io.meshfl.mesh.iam.LocalPrincipals): account 000000000000.
cat >"$work/root/main.tf" <<'TF'
module "policies" {
  source                 = "../policies"
  federation_bucket_name = "meshfl-placeholder-federation"
  domains = {
    "domain-placeholder" = {
      data_bucket_name  = "domain-placeholder-data"
      training_role_arn = "arn:aws:iam::000000000000:role/meshfl-training-domain-placeholder"
    }
  }
  aggregation_role_arn      = "arn:aws:iam::000000000000:role/meshfl-aggregation"
  sweeper_role_arn          = "arn:aws:iam::000000000000:role/meshfl-sweeper"
  governance_principal_arns = ["arn:aws:iam::000000000000:user/meshfl-governance"]
}
# The same installation with one vertical model whose labels are shared: its domains are parties of it, the
# governance-side head heads it. The identity documents the vertical steps run under, and the bucket policy of such an
# installation (the horizontal one above has no vertical statements).
module "vertical" {
  source                 = "../policies"
  federation_bucket_name = "meshfl-placeholder-federation"
  domains = {
    "domain-placeholder" = {
      data_bucket_name  = "domain-placeholder-data"
      training_role_arn = "arn:aws:iam::000000000000:role/meshfl-training-domain-placeholder"
      vertical          = ["model-placeholder"]
    }
  }
  vertical_head_role_arn    = "arn:aws:iam::000000000000:role/meshfl-vertical-head"
  vertical_head_models      = ["model-placeholder"]
  aggregation_role_arn      = "arn:aws:iam::000000000000:role/meshfl-aggregation"
  sweeper_role_arn          = "arn:aws:iam::000000000000:role/meshfl-sweeper"
  governance_principal_arns = ["arn:aws:iam::000000000000:user/meshfl-governance"]
}
output "bucket_policy" { value = module.policies.federation_bucket_policy }
output "vertical_bucket_policy" { value = module.vertical.federation_bucket_policy }
output "vertical_domain" { value = module.vertical.domain_training_policies["domain-placeholder"] }
output "vertical_head" { value = module.vertical.vertical_head_policy }
output "domain" { value = module.policies.domain_training_policies["domain-placeholder"] }
output "aggregation" { value = module.policies.aggregation_policy }
output "sweeper" { value = module.policies.sweeper_policy }
output "registry" { value = module.policies.registry_policy }
TF

tf() { TF_IN_AUTOMATION=1 terraform -chdir="$work/root" "$@" -no-color; }
tf init -backend=false -input=false >/dev/null
tf apply -auto-approve -input=false >/dev/null
placeholders() { sed -e 's/meshfl-placeholder-federation/${federation_bucket}/g' -e 's/domain-placeholder/${domain}/g' -e 's/model-placeholder/${model}/g'; }
{
  echo '{'
  echo '"_comment": "Rendered by infra/terraform/render-policies.sh from infra/terraform/modules/policies. Do not edit: change the module and render again.",'
  echo "\"bucket_policy\": $(tf output -raw bucket_policy | placeholders),"
  echo "\"vertical_bucket_policy\": $(tf output -raw vertical_bucket_policy | placeholders),"
  echo '"identity_policies": {'
  echo "\"aggregation\": $(tf output -raw aggregation | placeholders),"
  echo "\"domain\": $(tf output -raw domain | placeholders),"
  echo "\"sweeper\": $(tf output -raw sweeper | placeholders),"
  echo "\"registry\": $(tf output -raw registry | placeholders),"
  echo "\"vertical-domain\": $(tf output -raw vertical_domain | placeholders),"
  echo "\"vertical-head\": $(tf output -raw vertical_head | placeholders)"
  echo '}'
  echo '}'
} >"$work/rendered-policies.json"

if [[ "${1:-}" == "--check" ]]; then
  if ! diff -u "$target" "$work/rendered-policies.json"; then
    echo "${target#"$here/../../"} is out of date: run infra/terraform/render-policies.sh" >&2
    exit 1
  fi
  echo "${target#"$here/../../"} is up to date"
else
  mkdir -p "$(dirname "$target")"
  cp "$work/rendered-policies.json" "$target"
  echo "wrote $target"
fi
