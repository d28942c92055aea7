#!/usr/bin/env bash
# Renders the containers of the Knative modules' function Services (federation-knative: registry, aggregation;
# domain-knative: training) into functions/local-mesh/src/main/resources/io/meshfl/mesh/deploy/rendered-environments.json.
# The local mesh starts every function with exactly this environment (io.meshfl.mesh.deploy), so a variable a
# module misnames, omits or gives the wrong way fails the demo and the tests, not a deployment.
# What differs per installation is a placeholder the local mesh fills in with its own endpoints and names:
#   ${federation_bucket} ${region} ${object_store_endpoint} ${registry_url} ${database_host} ${database_port}
#   ${database_name} ${jwt_issuer} ${domain}
# Secrets stay what the module renders, references (secretKeyRef, secret volumes); the SinkBindings that inject
# K_SINK are listed with their subject. `render-environments.sh --check` fails when the committed file differs
# from what the modules render now (infra/terraform/test.sh runs it). Needs Terraform and jq only: the modules
# have no providers.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
target="$here/../../functions/local-mesh/src/main/resources/io/meshfl/mesh/deploy/rendered-environments.json"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A private copy: the rendering must not leave state or .terraform/ in the source tree.
cp -R "$here/modules/federation-knative" "$work/federation-knative"
cp -R "$here/modules/domain-knative" "$work/domain-knative"
mkdir "$work/root"
# The webhook path: an S3-compatible store posts its notifications to the aggregation service, as the local
# mesh's event bridge does. Credentials as Kubernetes Secrets, the endpoint and path-style as for MinIO.
cat >"$work/root/main.tf" <<'TF'
module "federation" {
  source            = "../federation-knative"
  name              = "placeholder"
  registry_image    = "registry.placeholder/meshfl/registry:render"
  aggregation_image = "registry.placeholder/meshfl/aggregation:render"
  object_store = {
    bucket             = "meshfl-placeholder-federation"
    region             = "placeholder-region"
    endpoint           = "http://object-store.placeholder"
    path_style         = true
    credentials_secret = "aggregation-object-store"
  }
  update_events            = { source = "webhook" }
  database                 = { host = "database-host.placeholder", port = 15432, name = "database-name-placeholder", credentials_secret = "registry-database" }
  jwt                      = { issuer = "jwt-issuer-placeholder", public_key_secret = "registry-jwt" }
  aggregation_token_secret = "aggregation-registry-token"
  vertical_head = {
    training_image        = "registry.placeholder/meshfl/training:render"
    signing_key_secret    = "vertical-head-signing-key"
    registry_token_secret = "vertical-head-registry-token"
    credentials_secret    = "vertical-head-object-store"
  }
}

module "domain" {
  source         = "../domain-knative"
  federation     = { name = "placeholder", namespace = module.federation.namespace, broker_name = module.federation.broker_name, registry_url = module.federation.registry_url }
  domain         = "domain-placeholder"
  training_image = "registry.placeholder/meshfl/training:render"
  object_store = {
    bucket             = "meshfl-placeholder-federation"
    region             = "placeholder-region"
    endpoint           = "http://object-store.placeholder"
    path_style         = true
    credentials_secret = "domain-object-store"
  }
  registry_token_secret = "domain-registry-token"
  signing_key_secret    = "domain-signing-key"
}

output "federation" { value = jsonencode(module.federation.manifests) }
output "domain" { value = jsonencode(module.domain.manifests) }
output "registry_url" { value = module.federation.registry_url }
TF

tf() { TF_IN_AUTOMATION=1 terraform -chdir="$work/root" "$@" -no-color; }
tf init -backend=false -input=false >/dev/null
tf apply -auto-approve -input=false >/dev/null
registry_url="$(tf output -raw registry_url)"

# One Knative Service's container: its env, secret volumes and mounts; K_SINK where a SinkBinding names it.
function_of() { # manifests-file service-name
  jq --arg name "$2" '
    (.[] | select(.kind == "Service" and .metadata.name == $name)) as $service
    | $service.spec.template.spec as $pod
    | {
        env: $pod.containers[0].env,
        volumeMounts: ($pod.containers[0].volumeMounts // []),
        volumes: ($pod.volumes // []),
        sinkBindings: [.[] | select(.kind == "SinkBinding" and .spec.subject.name == $name) | {env: "K_SINK", sink: .spec.sink}]
      }' "$1"
}
tf output -raw federation >"$work/federation.json"
tf output -raw domain >"$work/domain.json"
placeholders() {
  sed -e 's/meshfl-placeholder-federation/${federation_bucket}/g' \
      -e 's/placeholder-region/${region}/g' \
      -e 's#http://object-store.placeholder#${object_store_endpoint}#g' \
      -e "s#$registry_url#\${registry_url}#g" \
      -e 's/database-host.placeholder/${database_host}/g' \
      -e 's#:15432/#:${database_port}/#g' \
      -e 's/database-name-placeholder/${database_name}/g' \
      -e 's/jwt-issuer-placeholder/${jwt_issuer}/g' \
      -e 's/domain-placeholder/${domain}/g'
}
jq -n --sort-keys \
  --argjson registry "$(function_of "$work/federation.json" registry)" \
  --argjson aggregation "$(function_of "$work/federation.json" aggregation)" \
  --argjson training "$(function_of "$work/domain.json" training)" \
  --argjson vertical_head "$(function_of "$work/federation.json" vertical-head)" \
  '{
    _comment: "Rendered by infra/terraform/render-environments.sh from infra/terraform/modules/federation-knative and domain-knative. Do not edit: change the modules and render again.",
    functions: { registry: $registry, aggregation: $aggregation, training: $training, "vertical-head": $vertical_head }
  }' | placeholders >"$work/rendered-environments.json"

if grep -q 'placeholder' "$work/rendered-environments.json"; then
  echo "a placeholder was left unmapped:" >&2
  grep -n 'placeholder' "$work/rendered-environments.json" >&2
  exit 1
fi

if [[ "${1:-}" == "--check" ]]; then
  if ! diff -u "$target" "$work/rendered-environments.json"; then
    echo "${target#"$here/../../"} is out of date: run infra/terraform/render-environments.sh" >&2
    exit 1
  fi
  echo "${target#"$here/../../"} is up to date"
else
  mkdir -p "$(dirname "$target")"
  cp "$work/rendered-environments.json" "$target"
  echo "wrote $target"
fi
