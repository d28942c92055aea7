#!/usr/bin/env bash
# Terraform checks for CI: formatting, the provider-free `terraform test`s (with the contract checks of
# infra/contract/functions.json), the rendered Knative manifests' and the local mesh's IAM documents' freshness,
# no secret in the examples' plans, and - where the hashicorp/aws provider is available from a local mirror - `validate`
# and the mock-provider tests of the AWS modules. Downloads nothing: provider-free modules need no plugin,
# and the AWS ones run only against a mirror (MESHFL_TF_PLUGIN_DIR, default /opt/tf-plugins).
# Prints "terraform: N passed, M failed, K skipped" (N and M count test runs and checks) and exits non-zero
# on any failure.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
plugin_dir="${MESHFL_TF_PLUGIN_DIR:-/opt/tf-plugins}"
passed=0
failed=0
skipped=0

if ! command -v terraform >/dev/null 2>&1; then
  echo "SKIP: terraform is not on PATH; the Terraform checks did not run (install Terraform >= 1.6 to run them)"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export TF_IN_AUTOMATION=1

check() {
  local name="$1"
  shift
  if "$@" >"$work/out" 2>&1; then
    echo "PASS  $name"
    passed=$((passed + 1))
  else
    echo "FAIL  $name"
    sed 's/^/      /' "$work/out"
    failed=$((failed + 1))
  fi
}

# Runs `terraform test` in a module and adds its run counts to the totals.
run_tests() {
  local dir="$1"
  shift
  local rel="${dir#"$here"/}"
  local data="$work/data-${rel//\//-}"
  if ! TF_DATA_DIR="$data" terraform -chdir="$dir" init -backend=false -input=false -no-color "$@" >"$work/out" 2>&1; then
    echo "FAIL  $rel: terraform init"
    sed 's/^/      /' "$work/out"
    failed=$((failed + 1))
    return
  fi
  if [[ $# -gt 0 ]]; then
    check "$rel: terraform validate" env TF_DATA_DIR="$data" terraform -chdir="$dir" validate -no-color
  fi
  TF_DATA_DIR="$data" terraform -chdir="$dir" test -no-color >"$work/test" 2>&1
  local status=$?
  local summary
  summary="$(grep -E '^(Success|Failure)! [0-9]+ passed, [0-9]+ failed' "$work/test" | tail -n 1)"
  if [[ -z "$summary" ]]; then
    echo "FAIL  $rel: terraform test did not report"
    sed 's/^/      /' "$work/test"
    failed=$((failed + 1))
    return
  fi
  local p f
  p="$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$summary")"
  f="$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$summary")"
  passed=$((passed + p))
  failed=$((failed + f))
  if [[ $status -ne 0 || $f -ne 0 ]]; then
    echo "FAIL  $rel: $summary"
    grep -vE 'CLI configuration|terraformrc' "$work/test" | sed 's/^/      /'
    [[ $f -eq 0 ]] && failed=$((failed + 1))
  else
    echo "PASS  $rel: $summary"
  fi
}

check "terraform fmt -check -recursive" terraform fmt -check -recursive -diff "$here"

have_aws_mirror=false
if compgen -G "$plugin_dir/registry.terraform.io/hashicorp/aws/*" >/dev/null; then
  have_aws_mirror=true
fi

while IFS= read -r dir; do
  if grep -qs 'required_providers' "$dir"/*.tf; then
    if $have_aws_mirror; then
      run_tests "$dir" "-plugin-dir=$plugin_dir"
    else
      echo "SKIP  ${dir#"$here"/}: needs the hashicorp/aws provider and no mirror is at $plugin_dir (set MESHFL_TF_PLUGIN_DIR); provider plugins are never downloaded here"
      skipped=$((skipped + 1))
    fi
  else
    run_tests "$dir"
  fi
done < <({ echo "$here/contract-check"; find "$here/modules" "$here/examples" -mindepth 1 -maxdepth 1 -type d -exec test -d '{}/tests' ';' -print; } | sort)

check "infra/knative/three-domains.yaml is up to date" "$here/../knative/render.sh" --check
check "the IAM documents the local mesh enforces are the policies module's render" "$here/render-policies.sh" --check
check "the function containers the local mesh starts are the Knative modules' render" "$here/render-environments.sh" --check

# No secret in any plan or state of the examples: a real `terraform plan` of each (the AWS one against a
# local stand-in for STS and Secrets Manager) and a search of `terraform show -json` for a sentinel secret.
if command -v python3 >/dev/null 2>&1; then
  check "no secret in the examples' plans (no-secrets/check.sh)" "$here/no-secrets/check.sh" "$plugin_dir"
else
  echo "SKIP  no-secrets/check.sh: needs python3 for its stand-in AWS endpoint"
  skipped=$((skipped + 1))
fi

echo "terraform: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
