#!/usr/bin/env bash
# Renders the Knative example (infra/terraform/examples/knative-three-domains with its
# terraform.tfvars.example) into three-domains.yaml, for readers and kubectl-only users.
# `render.sh --check` fails when the committed file is out of date (infra/terraform/test.sh runs it).
# Needs Terraform only: the example has no providers, so nothing is downloaded.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
example="$here/../terraform/examples/knative-three-domains"
target="$here/three-domains.yaml"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A private copy: the rendering must not leave state or .terraform/ in the source tree.
cp -R "$example" "$work/example"
cp -R "$here/../terraform/modules" "$work/modules"
sed -i 's|\.\./\.\./modules/|../modules/|' "$work/example/main.tf"

tf() { terraform -chdir="$work/example" "$@" -no-color; }
tf init -backend=false -input=false >/dev/null
tf apply -auto-approve -input=false -var-file=terraform.tfvars.example >/dev/null
{
  echo "# Rendered by infra/knative/render.sh from infra/terraform/examples/knative-three-domains"
  echo "# (terraform.tfvars.example). Do not edit: change the modules and render again."
  tf output -raw manifests_yaml
} >"$work/three-domains.yaml"

if [[ "${1:-}" == "--check" ]]; then
  if ! diff -u "$target" "$work/three-domains.yaml"; then
    echo "infra/knative/three-domains.yaml is out of date: run infra/knative/render.sh" >&2
    exit 1
  fi
  echo "infra/knative/three-domains.yaml is up to date"
else
  cp "$work/three-domains.yaml" "$target"
  echo "wrote $target"
fi
