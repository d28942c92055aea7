#!/usr/bin/env bash
# Builds the MeshFL functions for AWS Lambda and Knative. See native-build/README.md.
#
#   native-build/build.sh lambda         <function>   native executable -> <function>/target/function.zip
#                                                     (provided.al2023: bootstrap at the root)
#   native-build/build.sh lambda-jvm     <function>   JVM function.zip for the java17/java21 runtimes
#   native-build/build.sh lambda-image   <function>   JVM Lambda container image (training-function: libtorch
#                                                     is too big for a zip), on the AWS Lambda Java base image
#   native-build/build.sh knative-image  <function>   Knative image: native for registry and aggregation
#                                                     (MESHFL_NATIVE=false for JVM), always JVM for training
#   native-build/build.sh native-sources <function>...  generates the native-image configuration without GraalVM
#                                                     (Knative binding: the Lambda extensions refuse this mode)
#                                                     and checks it registers every serialised type (several
#                                                     functions: one Maven build, one check each)
#   native-build/build.sh verify-zip     <zip>        checks a provided.al2023 zip (used by check.sh)
#
# <function> is registry-function, aggregation-function or training-function.
#
# Environment:
#   MVN                  Maven command (default: mvn; on the shared dev machines: "flock /tmp/meshfl-mvn.lock mvn")
#   MESHFL_NATIVE_BUILD  auto (default) | local | container. auto: for lambda the Mandrel builder image (docker
#                        or podman; its glibc 2.34 is provided.al2023's), a local `native-image` only without a
#                        container runtime and on a glibc no newer than 2.34; for knative-image a local
#                        GraalVM/Mandrel `native-image` when there is one, else the builder image
#   MESHFL_BUILDER_IMAGE override Quarkus's default Mandrel builder image
#   MESHFL_NATIVE        true (default) | false: knative-image of registry/aggregation as native or JVM
#   MESHFL_IMAGE         image reference (default: meshfl/meshfl-<function>:<project version>)
#   MESHFL_IMAGE_OUTPUT  tar (default: OCI tarball in native-build/image/target, no registry, no Docker) |
#                        registry (push with Jib; credentials from the Docker config or MESHFL_JIB_ARGS)
#   MESHFL_JIB_ARGS      extra Maven arguments for Jib, e.g. "-Djib.to.auth.username=AWS -Djib.to.auth.password=..."
#   MESHFL_SKIP_TESTS    true (default) | false
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
read -r -a mvn_cmd <<<"${MVN:-mvn}"

die() {
  echo "build.sh: $*" >&2
  exit 2
}

usage() {
  sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}

module_path() {
  case "$1" in
    registry-function) echo "functions/registry-function" ;;
    aggregation-function) echo "aggregation-function" ;;
    training-function) echo "training-function" ;;
    *) die "unknown function '$1' (registry-function, aggregation-function or training-function)" ;;
  esac
}

project_version() {
  # The first <version> of the parent POM is the project's own (it has no parent).
  sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n 1
}

maven() {
  local skip_tests=()
  [[ "${MESHFL_SKIP_TESTS:-true}" == "true" ]] && skip_tests=(-DskipTests)
  (cd "$root" && "${mvn_cmd[@]}" -B -ntp "${skip_tests[@]}" "$@")
}

# The first container runtime whose engine answers (a client without a reachable engine is no runtime).
container_runtime() {
  local candidate
  for candidate in docker podman; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" info >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# glibc of Lambda's provided.al2023 runtime. A native executable links against the builder's glibc and
# does not start where the glibc is older ("GLIBC_2.36 not found"); the Mandrel builder image (UBI 9) has 2.34.
al2023_glibc="2.34"

# The glibc of this machine, e.g. 2.36 (Debian 12); empty when it cannot be told (musl, macOS).
local_glibc() {
  getconf GNU_LIBC_VERSION 2>/dev/null | sed -n 's/^glibc \([0-9]*\.[0-9]*\).*/\1/p'
}

# True when version $1 is at most version $2 (both major.minor).
version_at_most() {
  [[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" == "$1" ]]
}

# Arguments that make Quarkus build a native executable, locally or in the Mandrel builder image.
# $1: lambda (the executable runs on provided.al2023) or knative (it runs in the image build.sh assembles).
native_args() {
  local target="${1:-knative}"
  local mode="${MESHFL_NATIVE_BUILD:-auto}"
  local args=(-Dquarkus.native.enabled=true -Dquarkus.package.jar.enabled=false)
  if [[ "$mode" == "auto" && "$target" == "lambda" ]]; then
    # For Lambda the builder image comes first: its glibc is AL2023's. A local native-image is used only
    # when there is no container runtime and this machine's glibc is not newer than AL2023's.
    if container_runtime >/dev/null; then
      mode=container
    elif command -v native-image >/dev/null 2>&1; then
      local glibc
      glibc="$(local_glibc)"
      if [[ -n "$glibc" ]] && version_at_most "$glibc" "$al2023_glibc"; then
        mode=local
      else
        die "no container runtime for the Mandrel builder image, and the local native-image would link against glibc ${glibc:-unknown}, newer than provided.al2023's $al2023_glibc: the executable could fail to start on Lambda. Start docker/podman, or set MESHFL_NATIVE_BUILD=local to build here anyway"
      fi
    else
      mode=container
    fi
  elif [[ "$mode" == "auto" ]]; then
    if command -v native-image >/dev/null 2>&1; then mode=local; else mode=container; fi
  fi
  case "$mode" in
    local)
      command -v native-image >/dev/null 2>&1 || die "MESHFL_NATIVE_BUILD=local but no native-image on PATH (install GraalVM or Mandrel)"
      ;;
    container)
      local runtime
      runtime="$(container_runtime)" || die "no GraalVM/Mandrel and no working container runtime: a native build needs native-image on PATH, or a running docker/podman for the Mandrel builder image"
      args+=(-Dquarkus.native.container-build=true "-Dquarkus.native.container-runtime=$runtime")
      [[ -n "${MESHFL_BUILDER_IMAGE:-}" ]] && args+=("-Dquarkus.native.builder-image=$MESHFL_BUILDER_IMAGE")
      ;;
    *) die "MESHFL_NATIVE_BUILD must be auto, local or container (got '$mode')" ;;
  esac
  printf '%s\n' "${args[@]}"
}

# A provided.al2023 zip must hold an executable named bootstrap at its root.
verify_zip() {
  local zip="$1"
  [[ -f "$zip" ]] || die "$zip: no such file"
  command -v unzip >/dev/null 2>&1 || die "verify-zip needs unzip"
  local entry
  entry="$(unzip -Z "$zip" bootstrap 2>/dev/null | head -n 1 || true)"
  [[ -n "$entry" ]] || die "$zip: no bootstrap at the root (Lambda's provided.al2023 runtime starts ./bootstrap)"
  [[ "${entry:0:1}" == "-" && "${entry:3:1}" == "x" ]] || die "$zip: bootstrap is not executable ($entry)"
  echo "$zip: bootstrap present and executable"
}

refuse_native_training() {
  [[ "$1" != "training-function" ]] || die "training-function runs in JVM mode (DJL/PyTorch in a native image is not supported here, see native-build/README.md); use lambda-image or knative-image"
}

jib() {
  local layout="$1" function="$2" stage="$3"
  local path image goal
  path="$(module_path "$function")"
  image="${MESHFL_IMAGE:-meshfl/meshfl-$function:$(project_version)}"
  case "${MESHFL_IMAGE_OUTPUT:-tar}" in
    tar) goal=jib:buildTar ;;
    registry) goal=jib:build ;;
    *) die "MESHFL_IMAGE_OUTPUT must be tar or registry" ;;
  esac
  local extra=()
  [[ -n "${MESHFL_JIB_ARGS:-}" ]] && read -r -a extra <<<"$MESHFL_JIB_ARGS"
  # Jib wants the (empty) classes directory of the packaging project to exist.
  mkdir -p "$root/native-build/image/target/classes"
  (cd "$root" && "${mvn_cmd[@]}" -B -ntp -f native-build/image/pom.xml "-P$layout" "$goal" \
    "-Dmeshfl.function.dir=$path" "-Dmeshfl.image=$image" "-Dmeshfl.stage.dir=$stage" "${extra[@]}")
  if [[ "$goal" == "jib:buildTar" ]]; then
    echo "image $image written to native-build/image/target/meshfl-function-image.tar (load with: podman load / docker load / skopeo copy)"
  else
    echo "image $image pushed"
  fi
}

command="${1:-}"
[[ -n "$command" ]] || usage
shift

case "$command" in
  -h | --help | help) usage 0 ;;
  verify-zip)
    [[ $# -eq 1 ]] || usage
    verify_zip "$1"
    ;;
  lambda)
    [[ $# -eq 1 ]] || usage
    refuse_native_training "$1"
    path="$(module_path "$1")"
    native="$(native_args lambda)" || exit 2
    mapfile -t args <<<"$native"
    maven package -Plambda -pl "$path" -am "${args[@]}"
    verify_zip "$root/$path/target/function.zip"
    ;;
  native-sources)
    [[ $# -ge 1 ]] || usage
    paths=()
    for function in "$@"; do
      refuse_native_training "$function"
      paths+=("$(module_path "$function")")
    done
    # One reactor for all of them: the aggregation function's -am builds the registry too, so one build each would
    # generate the registry's sources twice.
    maven package -Pknative -pl "$(IFS=,; echo "${paths[*]}")" -am -Dquarkus.native.enabled=true \
      -Dquarkus.native.sources-only=true -Dquarkus.package.jar.enabled=false
    status=0
    for function in "$@"; do
      path="$(module_path "$function")"
      # sources-only writes target/native-sources/ (a full native build leaves *-native-image-source-jar/).
      jar="$(find "$root/$path/target/native-sources" -maxdepth 1 -name '*-runner.jar' 2>/dev/null | head -n 1)"
      if [[ -z "$jar" ]]; then
        echo "$function: no runner jar in $path/target/native-sources" >&2
        status=2
        continue
      fi
      sources=("$root/$path/src/main/java")
      # The shared modules' JSON types count only for the functions that (de)serialise them: the event and
      # registry-client records of core and runtime belong to the functions that read events and call the
      # registry; the registry itself serialises only its own types.
      if grep -q '<artifactId>meshfl-function-runtime</artifactId>' "$root/$path/pom.xml"; then
        for shared in functions/core functions/runtime; do
          [[ -d "$root/$shared/src/main/java" ]] && sources+=("$root/$shared/src/main/java")
        done
      fi
      "$root/native-build/reflection-coverage.sh" "$jar" "${sources[@]}" | sed "s/^/$function: /"
      [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
    done
    exit "$status"
    ;;
  lambda-jvm)
    [[ $# -eq 1 ]] || usage
    path="$(module_path "$1")"
    maven package -Plambda -pl "$path" -am
    echo "$root/$path/target/function.zip (runtime java17 or java21, handler io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest)"
    ;;
  lambda-image)
    [[ $# -eq 1 ]] || usage
    path="$(module_path "$1")"
    maven package -Plambda -pl "$path" -am
    stage="$root/$path/target/image-stage"
    rm -rf "$stage" && mkdir -p "$stage"
    # The Lambda Java base image puts /var/task and /var/task/lib/* on the class path: the JVM function.zip's layout.
    unzip -q "$root/$path/target/function.zip" -d "$stage"
    jib lambda-jvm "$1" "$stage"
    ;;
  knative-image)
    [[ $# -eq 1 ]] || usage
    path="$(module_path "$1")"
    if [[ "$1" == "training-function" || "${MESHFL_NATIVE:-true}" == "false" ]]; then
      maven package -Pknative -pl "$path" -am
      jib jvm "$1" "$root/$path/target/quarkus-app"
    else
      native="$(native_args)" || exit 2
      mapfile -t args <<<"$native"
      maven package -Pknative -pl "$path" -am "${args[@]}"
      stage="$root/$path/target/image-stage"
      rm -rf "$stage" && mkdir -p "$stage"
      runner="$(find "$root/$path/target" -maxdepth 1 -type f -name '*-runner' | head -n 1)"
      [[ -n "$runner" ]] || die "no native executable (*-runner) in $path/target"
      cp "$runner" "$stage/application"
      jib native "$1" "$stage"
    fi
    ;;
  *) usage ;;
esac
