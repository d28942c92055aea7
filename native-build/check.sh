#!/usr/bin/env bash
# What can be checked of the native builds without GraalVM, Mandrel, Docker or a network:
#   - every script of native-build/ and infra/ parses (bash -n) and, where shellcheck is installed, is clean;
#   - build.sh's Lambda zip check accepts an executable bootstrap and rejects the rest (fixtures);
#   - build.sh lambda picks the Mandrel builder image (glibc of provided.al2023) over a local native-image,
#     uses a local one only on a glibc no newer than AL2023's (or when told), else stops with a clear message
#     before Maven starts (Maven, native-image and docker are
#     replaced by stubs on PATH that record how they were called);
#   - build.sh never compiles the training function natively;
#   - the Jib packaging project is well-formed XML;
#   - the reflection-coverage check finds a serialised type missing from a native-image configuration;
#   - the Terraform is formatted (terraform fmt -check), when terraform is installed;
#   - with --maven (needs Maven and its repository, not GraalVM): Quarkus generates the native-image
#     configuration of registry-function and aggregation-function (quarkus.native.sources-only) and it
#     registers every type they serialise.
# Prints "check: N passed, M failed" and exits non-zero on any failure.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/native-build/build.sh"
fixtures="$root/native-build/tests/fixtures"
passed=0
failed=0

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

pass() {
  echo "PASS  $1"
  passed=$((passed + 1))
}

fail() {
  echo "FAIL  $1"
  [[ -s "$work/out" ]] && sed 's/^/      /' "$work/out"
  failed=$((failed + 1))
}

skip() {
  echo "SKIP  $1"
}

# expect <name> <exit status> <text the output must contain, or ""> <command...>
expect() {
  local name="$1" status="$2" text="$3"
  shift 3
  "$@" >"$work/out" 2>&1
  local actual=$?
  if [[ $actual -ne $status ]]; then
    echo "exit status $actual, expected $status" >>"$work/out"
    fail "$name"
  elif [[ -n "$text" ]] && ! grep -qF -- "$text" "$work/out"; then
    echo "output lacks: $text" >>"$work/out"
    fail "$name"
  else
    pass "$name"
  fi
}

mapfile -t scripts < <(find "$root/native-build" "$root/infra" -name '*.sh' -type f | sort)
for script in "${scripts[@]}"; do
  expect "bash -n ${script#"$root"/}" 0 "" bash -n "$script"
done
if command -v shellcheck >/dev/null 2>&1; then
  expect "shellcheck (${#scripts[@]} scripts)" 0 "" shellcheck "${scripts[@]}"
else
  skip "shellcheck is not installed (apt-get install shellcheck)"
fi

if command -v unzip >/dev/null 2>&1; then
  expect "verify-zip accepts an executable bootstrap" 0 "bootstrap present and executable" \
    "$build" verify-zip "$fixtures/bootstrap-executable.zip"
  expect "verify-zip rejects a bootstrap without the execute bit" 2 "bootstrap is not executable" \
    "$build" verify-zip "$fixtures/bootstrap-not-executable.zip"
  expect "verify-zip rejects a zip without bootstrap" 2 "no bootstrap at the root" \
    "$build" verify-zip "$fixtures/no-bootstrap.zip"
else
  skip "unzip is not installed: the Lambda zip check is not exercised"
fi

# Stubs: a Maven that records its arguments, and optional native-image / docker.
stubs="$work/stubs"
mkdir -p "$stubs/none" "$stubs/local" "$stubs/container" "$stubs/broken-docker"
cat >"$stubs/mvn" <<STUB
#!/usr/bin/env bash
printf '%s\n' "\$@" >"$work/mvn-args"
exit 0
STUB
printf '#!/usr/bin/env bash\nexit 0\n' >"$stubs/local/native-image"
printf '#!/usr/bin/env bash\nexit 0\n' >"$stubs/container/docker"
printf '#!/usr/bin/env bash\nexit 1\n' >"$stubs/broken-docker/docker"
chmod +x "$stubs/mvn" "$stubs/local/native-image" "$stubs/container/docker" "$stubs/broken-docker/docker"
# Only the basic tools, so a docker or native-image of this machine cannot leak into the checks.
base_path="/usr/bin:/bin"

mvn_args_have() {
  grep -qxF -- "$1" "$work/mvn-args"
}

run_lambda() {
  rm -f "$work/mvn-args"
  env PATH="$1:$base_path" MVN="$stubs/mvn" "$build" lambda aggregation-function
}

# glibc as getconf reports it: AL2023's (2.34) and Debian 12's (2.36).
mkdir -p "$stubs/glibc-2.34" "$stubs/glibc-2.36"
printf '#!/usr/bin/env bash\necho "glibc 2.34"\n' >"$stubs/glibc-2.34/getconf"
printf '#!/usr/bin/env bash\necho "glibc 2.36"\n' >"$stubs/glibc-2.36/getconf"
chmod +x "$stubs/glibc-2.34/getconf" "$stubs/glibc-2.36/getconf"

# The stub Maven builds nothing, so the zip check after it fails: the arguments are what is checked.
run_lambda "$stubs/local:$stubs/glibc-2.34" >"$work/out" 2>&1
if [[ -f "$work/mvn-args" ]] && mvn_args_have "-Dquarkus.native.enabled=true" && mvn_args_have "-Plambda" \
  && mvn_args_have "aggregation-function" && ! mvn_args_have "-Dquarkus.native.container-build=true"; then
  pass "lambda: a local native-image on AL2023's glibc builds natively without a container"
else
  fail "lambda: a local native-image on AL2023's glibc builds natively without a container"
fi

# A native executable linked on a newer glibc than provided.al2023's may not start there.
run_lambda "$stubs/local:$stubs/container:$stubs/glibc-2.36" >"$work/out" 2>&1
if [[ -f "$work/mvn-args" ]] && mvn_args_have "-Dquarkus.native.container-build=true"; then
  pass "lambda: the builder image wins over a local native-image"
else
  fail "lambda: the builder image wins over a local native-image"
fi

rm -f "$work/mvn-args"
expect "lambda: a local native-image on a newer glibc than AL2023's stops before Maven" 2 "newer than provided.al2023's 2.34" \
  env PATH="$stubs/local:$stubs/glibc-2.36:$base_path" MVN="$stubs/mvn" "$build" lambda aggregation-function
[[ -f "$work/mvn-args" ]] && {
  echo "Maven was started" >"$work/out"
  fail "Maven must not start to link against a newer glibc than AL2023's"
}

rm -f "$work/mvn-args"
env PATH="$stubs/local:$stubs/glibc-2.36:$base_path" MVN="$stubs/mvn" MESHFL_NATIVE_BUILD=local "$build" lambda aggregation-function >"$work/out" 2>&1
if [[ -f "$work/mvn-args" ]] && ! mvn_args_have "-Dquarkus.native.container-build=true"; then
  pass "lambda: MESHFL_NATIVE_BUILD=local builds here when asked"
else
  fail "lambda: MESHFL_NATIVE_BUILD=local builds here when asked"
fi

run_lambda "$stubs/container" >"$work/out" 2>&1
if [[ -f "$work/mvn-args" ]] && mvn_args_have "-Dquarkus.native.enabled=true" \
  && mvn_args_have "-Dquarkus.native.container-build=true" && mvn_args_have "-Dquarkus.native.container-runtime=docker"; then
  pass "without native-image the Mandrel builder image runs in the container runtime"
else
  fail "without native-image the Mandrel builder image runs in the container runtime"
fi

rm -f "$work/mvn-args"
expect "no native-image and no container runtime stops before Maven" 2 "no GraalVM/Mandrel and no working container runtime" \
  env PATH="$stubs/none:$base_path" MVN="$stubs/mvn" "$build" lambda aggregation-function
[[ -f "$work/mvn-args" ]] && {
  echo "Maven was started" >"$work/out"
  fail "Maven must not start without a way to build natively"
}

expect "a docker client without an engine is not a container runtime" 2 "no GraalVM/Mandrel and no working container runtime" \
  env PATH="$stubs/broken-docker:$base_path" MVN="$stubs/mvn" "$build" lambda aggregation-function

expect "the training function is never compiled natively" 2 "training-function runs in JVM mode" \
  env PATH="$stubs/local:$base_path" MVN="$stubs/mvn" "$build" lambda training-function
expect "unknown functions are refused by name" 2 "unknown function 'scoring-function'" \
  env PATH="$stubs/local:$base_path" MVN="$stubs/mvn" "$build" lambda scoring-function

if command -v python3 >/dev/null 2>&1; then
  expect "native-build/image/pom.xml is well-formed" 0 "" \
    python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$root/native-build/image/pom.xml"
elif command -v xmllint >/dev/null 2>&1; then
  expect "native-build/image/pom.xml is well-formed" 0 "" xmllint --noout "$root/native-build/image/pom.xml"
else
  skip "no python3 or xmllint to check native-build/image/pom.xml"
fi

coverage="$root/native-build/reflection-coverage.sh"
expect "reflection coverage passes when every serialised type is registered" 0 "3 serialised types, 0 missing" \
  "$coverage" "$fixtures/reflection/complete" "$fixtures/reflection/src"
expect "reflection coverage names a nested record that is not registered" 1 "not registered for reflection: io.example.ObjectEvent\$Target" \
  "$coverage" "$fixtures/reflection/incomplete" "$fixtures/reflection/src"

if [[ "${1:-}" == "--maven" ]]; then
  # One Maven build generates both (build.sh prefixes each function's coverage line with its name).
  "$build" native-sources registry-function aggregation-function >"$work/native-sources" 2>&1
  native_status=$?
  for function in registry-function aggregation-function; do
    cp "$work/native-sources" "$work/out"
    if [[ $native_status -eq 0 ]] && grep -qE "$function: reflection coverage: [0-9]+ serialised types, 0 missing$" \
      "$work/out"; then
      pass "$function: generated native-image configuration registers its serialised types"
    else
      echo "exit status $native_status; expected 0 and \"$function: reflection coverage: ... 0 missing\"" >>"$work/out"
      fail "$function: generated native-image configuration registers its serialised types"
    fi
  done
fi

if command -v terraform >/dev/null 2>&1; then
  expect "terraform fmt -check -recursive infra/terraform" 0 "" terraform fmt -check -recursive "$root/infra/terraform"
else
  skip "terraform is not installed: formatting not checked"
fi

echo "check: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
