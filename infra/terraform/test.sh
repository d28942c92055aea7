#!/usr/bin/env bash
# Terraform checks for CI: formatting, the provider-free `terraform test`s (with the contract checks of
# infra/contract/functions.json), the rendered Knative manifests' and the local mesh's IAM documents' freshness,
# no secret in the examples' plans, and - where the hashicorp/aws provider is available from a local mirror - `validate`
# and the mock-provider tests of the AWS modules. Downloads nothing: provider-free modules need no plugin,
# and the AWS ones run only against a mirror (MESHFL_TF_PLUGIN_DIR, default /opt/tf-plugins).
# The checks are independent: they run MESHFL_TF_JOBS at a time (default: the number of processors), each
# into its own report, printed in a fixed order once all have finished.
# Prints "terraform: N passed, M failed, K skipped" (N and M count test runs and checks) and exits non-zero
# on any failure.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
plugin_dir="${MESHFL_TF_PLUGIN_DIR:-/opt/tf-plugins}"
jobs_max="${MESHFL_TF_JOBS:-$(nproc 2>/dev/null || echo 2)}"
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
  if "$@" >"$task/out" 2>&1; then
    echo "PASS  $name"
    passed=$((passed + 1))
  else
    echo "FAIL  $name"
    sed 's/^/      /' "$task/out"
    failed=$((failed + 1))
  fi
}

# Runs `terraform test` in a module and adds its run counts to the totals.
run_tests() {
  local dir="$1"
  shift
  local rel="${dir#"$here"/}"
  local data="$work/data-${rel//\//-}"
  if ! TF_DATA_DIR="$data" terraform -chdir="$dir" init -backend=false -input=false -no-color "$@" >"$task/out" 2>&1; then
    echo "FAIL  $rel: terraform init"
    sed 's/^/      /' "$task/out"
    failed=$((failed + 1))
    return
  fi
  if [[ $# -gt 0 ]]; then
    check "$rel: terraform validate" env TF_DATA_DIR="$data" terraform -chdir="$dir" validate -no-color
  fi
  TF_DATA_DIR="$data" terraform -chdir="$dir" test -no-color >"$task/test" 2>&1
  local status=$?
  local summary
  summary="$(grep -E '^(Success|Failure)! [0-9]+ passed, [0-9]+ failed' "$task/test" | tail -n 1)"
  if [[ -z "$summary" ]]; then
    echo "FAIL  $rel: terraform test did not report"
    sed 's/^/      /' "$task/test"
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
    grep -vE 'CLI configuration|terraformrc' "$task/test" | sed 's/^/      /'
    [[ $f -eq 0 ]] && failed=$((failed + 1))
  else
    echo "PASS  $rel: $summary"
  fi
}

# Tasks: each runs in the background with its own scratch directory ($task), writes the lines it would print
# to $task/report and its counts to $task/counts. Started heaviest first (weight: a rough cost), reported in
# the order they were added.
task_cmds=()
task_weights=()
add_task() {
  local weight="$1"
  shift
  task_weights+=("$weight")
  task_cmds+=("$(printf '%q ' "$@")")
}

run_task() {
  local task="$1"
  shift
  mkdir -p "$task"
  (
    passed=0 failed=0 skipped=0
    eval "$*" >"$task/report" 2>&1
    echo "$passed $failed $skipped" >"$task/counts"
  ) &
}

skip_dir() {
  echo "SKIP  $1: needs the hashicorp/aws provider and no mirror is at $plugin_dir (set MESHFL_TF_PLUGIN_DIR); provider plugins are never downloaded here"
  skipped=$((skipped + 1))
}

task="$work/fmt"
mkdir -p "$task"
check "terraform fmt -check -recursive" terraform fmt -check -recursive -diff "$here"

have_aws_mirror=false
if compgen -G "$plugin_dir/registry.terraform.io/hashicorp/aws/*" >/dev/null; then
  have_aws_mirror=true
fi

while IFS= read -r dir; do
  # A run block costs ~2 s with the AWS provider (the plugin starts for each), a fraction of that without.
  runs="$(cat "$dir"/tests/*.tftest.hcl 2>/dev/null | grep -c '^run ')"
  if grep -qs 'required_providers' "$dir"/*.tf; then
    if $have_aws_mirror; then
      add_task $((50 + 20 * runs)) run_tests "$dir" "-plugin-dir=$plugin_dir"
    else
      add_task 0 skip_dir "${dir#"$here"/}"
    fi
  else
    add_task $((5 + runs)) run_tests "$dir"
  fi
done < <({ echo "$here/contract-check"; find "$here/modules" "$here/examples" -mindepth 1 -maxdepth 1 -type d -exec test -d '{}/tests' ';' -print; } | sort)

add_task 10 check "infra/knative/three-domains.yaml is up to date" "$here/../knative/render.sh" --check
add_task 15 check "the IAM documents the local mesh enforces are the policies module's render" "$here/render-policies.sh" --check
add_task 10 check "the function containers the local mesh starts are the Knative modules' render" "$here/render-environments.sh" --check

# No secret in any plan or state of the examples: a real `terraform plan` of each (the AWS one against a
# local stand-in for STS and Secrets Manager) and a search of `terraform show -json` for a sentinel secret.
if command -v python3 >/dev/null 2>&1; then
  add_task 150 check "no secret in the examples' plans (no-secrets/check.sh)" "$here/no-secrets/check.sh" "$plugin_dir"
else
  echo "SKIP  no-secrets/check.sh: needs python3 for its stand-in AWS endpoint"
  skipped=$((skipped + 1))
fi

echo "Running ${#task_cmds[@]} Terraform checks, $jobs_max at a time (their reports follow when all have finished)"
while read -r _ i; do
  while (($(jobs -rp | wc -l) >= jobs_max)); do
    wait -n
  done
  run_task "$work/task-$i" "${task_cmds[$i]}"
done < <(for i in "${!task_cmds[@]}"; do echo "${task_weights[$i]} $i"; done | sort -rn -s -k1,1)
wait

for i in "${!task_cmds[@]}"; do
  task="$work/task-$i"
  [[ -f "$task/report" ]] && cat "$task/report"
  if [[ -f "$task/counts" ]]; then
    read -r p f s <"$task/counts"
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
  else
    echo "FAIL  ${task_cmds[$i]}: did not finish"
    failed=$((failed + 1))
  fi
done

echo "terraform: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
