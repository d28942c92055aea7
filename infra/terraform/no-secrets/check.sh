#!/usr/bin/env bash
# No secret in any plan or state of the examples: plans each example (the AWS one against fake_aws.py, with
# the hashicorp/aws provider from the local mirror), writes `terraform show -json` of the plan, and fails if
# the sentinel appears in it. The sentinel is every sensitive input of the example and every secret value AWS
# would hand a data source (Secrets Manager), so a module that copies a secret into a resource is caught.
# Usage: check.sh [plugin dir]   (infra/terraform/test.sh runs it). Prints PASS/FAIL lines per example.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
terraform_dir="$here/.."
plugin_dir="${1:-${MESHFL_TF_PLUGIN_DIR:-/opt/tf-plugins}}"
sentinel="meshfl-sentinel-secret-$RANDOM$RANDOM"
work="$(mktemp -d)"
fake_pid=""
cleanup() { [[ -n "$fake_pid" ]] && kill "$fake_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export TF_IN_AUTOMATION=1
status=0

# A private copy of the examples and modules: no state or .terraform/ in the source tree.
cp -R "$terraform_dir/modules" "$work/modules"
cp -R "$terraform_dir/examples" "$work/examples"
# test.sh runs `terraform init` in the source tree meanwhile: a dependency lock file it is writing may be copied half
# written. The copy's own init writes the ones it needs.
find "$work/modules" "$work/examples" -name .terraform.lock.hcl -delete

plan_and_grep() {
  local name="$1" dir="$2"
  shift 2
  if ! terraform -chdir="$dir" init -backend=false -input=false -no-color "$@" >"$work/$name.init" 2>&1; then
    echo "FAIL  no secret in the plan of $name: terraform init"; sed 's/^/      /' "$work/$name.init"; status=1; return
  fi
  if ! terraform -chdir="$dir" plan -input=false -no-color -refresh=true -out="$work/$name.plan" \
      -var-file=terraform.tfvars.example -var-file="$work/$name.sentinel.tfvars.json" >"$work/$name.log" 2>&1; then
    echo "FAIL  no secret in the plan of $name: terraform plan"; sed 's/^/      /' "$work/$name.log"; status=1; return
  fi
  terraform -chdir="$dir" show -json -no-color "$work/$name.plan" >"$work/$name.json"
  if grep -q "$sentinel" "$work/$name.json"; then
    echo "FAIL  no secret in the plan of $name: the sentinel secret is in terraform show -json at"
    python3 -c 'import json,sys
def walk(v,p):
    if isinstance(v,dict): [walk(x,p+"."+k) for k,x in v.items()]
    elif isinstance(v,list): [walk(x,p+"[%d]"%i) for i,x in enumerate(v)]
    elif isinstance(v,str) and sys.argv[2] in v: print("      "+p)
walk(json.load(open(sys.argv[1])),"")' "$work/$name.json" "$sentinel" | sort -u | head -20
    status=1
  else
    echo "PASS  no secret in the plan of $name ($(wc -c <"$work/$name.json") bytes of plan JSON)"
  fi
}

# Every string input the example marks sensitive gets the sentinel.
sensitive_vars() {
  python3 - "$1" "$sentinel" <<'PY'
import json, re, sys, glob, os
names = []
for f in glob.glob(os.path.join(sys.argv[1], "*.tf")):
    for m in re.finditer(r'variable\s+"([^"]+)"\s*\{(.*?)\n\}', open(f).read(), re.S):
        if re.search(r'sensitive\s*=\s*true', m.group(2)) and re.search(r'type\s*=\s*string\b', m.group(2)):
            names.append(m.group(1))
print(json.dumps({n: sys.argv[2] for n in names}))
PY
}

# Knative: no provider, a real plan.
sensitive_vars "$work/examples/knative-three-domains" >"$work/knative-three-domains.sentinel.tfvars.json"
plan_and_grep knative-three-domains "$work/examples/knative-three-domains"

# AWS: the mirrored provider, pointed at the fake for the two APIs a plan calls.
if compgen -G "$plugin_dir/registry.terraform.io/hashicorp/aws/*" >/dev/null; then
  python3 "$here/fake_aws.py" "$sentinel" >"$work/fake.port" &
  fake_pid=$!
  for _ in $(seq 50); do [[ -s "$work/fake.port" ]] && break; sleep 0.1; done
  endpoint="http://127.0.0.1:$(cat "$work/fake.port")"
  cat >"$work/examples/aws-three-domains/fake_aws_override.tf" <<EOT
provider "aws" {
  access_key                  = "plan-only"
  secret_key                  = "plan-only"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    sts            = "$endpoint"
    secretsmanager = "$endpoint"
  }
}
EOT
  mkdir -p "$work/examples/aws-three-domains/build"
  printf 'zip' >"$work/function.zip"
  sensitive_vars "$work/examples/aws-three-domains" | python3 -c 'import json,sys; v=json.load(sys.stdin); v.update({"aggregation_zip_path": sys.argv[1], "registry_zip_path": sys.argv[1]}); print(json.dumps(v))' "$work/function.zip" >"$work/aws-three-domains.sentinel.tfvars.json"
  plan_and_grep aws-three-domains "$work/examples/aws-three-domains" "-plugin-dir=$plugin_dir"
else
  echo "SKIP  no secret in the plan of aws-three-domains: no hashicorp/aws provider mirror at $plugin_dir"
fi
exit $status
