#!/usr/bin/env bash
# Does the native-image configuration Quarkus generated register every class the functions serialise?
#
#   native-build/reflection-coverage.sh <runner jar or directory with META-INF/native-image> <source dir>...
#
# "Serialised" is read from the sources: every type declared in a .java file that uses Jackson's mapping
# annotations or @RegisterForReflection (the top-level type and the types nested in it, e.g. the records of
# an S3 event notification). Each must appear by name in the generated META-INF/native-image/*.json;
# otherwise a native executable would fail at run time to (de)serialise it. Quarkus registers Funqy and
# REST types itself; a type read with ObjectMapper by hand needs @RegisterForReflection, and this finds it.
# The configuration comes from `native-build/build.sh native-sources <function>` (no GraalVM needed).
set -euo pipefail

[[ $# -ge 2 ]] || {
  echo "usage: $0 <runner jar or config directory> <source dir>..." >&2
  exit 2
}
config="$1"
shift

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [[ -f "$config" ]]; then
  unzip -q -o "$config" 'META-INF/native-image/*' -d "$work" 2>/dev/null || true
  config="$work"
fi
if ! compgen -G "$config/META-INF/native-image/*.json" >/dev/null; then
  echo "no META-INF/native-image/*.json in $config" >&2
  exit 2
fi
cat "$config"/META-INF/native-image/*.json >"$work/all.json"

annotations='@(JsonProperty|JsonCreator|JsonIgnoreProperties|JsonSerialize|JsonDeserialize|JsonTypeInfo|JsonSubTypes|JsonValue|RegisterForReflection)\b'
required="$work/required"
: >"$required"
while IFS= read -r file; do
  # A holder (@RegisterForReflection(targets = …) or (classNames = …)) registers other types, not itself;
  # those types are checked where they are declared.
  if grep -qE '@RegisterForReflection\((targets|classNames)' "$file"; then
    continue
  fi
  package="$(sed -n 's/^package \([A-Za-z0-9_.]*\);.*/\1/p' "$file" | head -n 1)"
  outer="$(basename "$file" .java)"
  prefix="${package:+$package.}$outer"
  echo "$prefix" >>"$required"
  # Nested types are indented; the top-level one is not.
  grep -E '^[[:space:]]+([a-z]+ )*(record|class|enum|interface) [A-Za-z0-9_]+' "$file" \
    | sed -E 's/.*(record|class|enum|interface) ([A-Za-z0-9_]+).*/\2/' \
    | sed "s/^/$prefix\$/" >>"$required" || true
done < <(grep -rlE "$annotations" --include='*.java' "$@" 2>/dev/null | sort)

missing=0
checked=0
while IFS= read -r class; do
  checked=$((checked + 1))
  if ! grep -qF "\"$class\"" "$work/all.json"; then
    echo "not registered for reflection: $class"
    missing=$((missing + 1))
  fi
done < <(sort -u "$required")

echo "reflection coverage: $checked serialised types, $missing missing"
[[ $missing -eq 0 ]]
