#!/usr/bin/env bash
# Benchmark `ngc ocds compile` against `ocdskit compile` (and a plain serde_json read-and-write).
#
# usage: crates/ocds/bench/compile.sh [SIZES_MB...]       (default: 10 100)
#
# Needs: ocdskit 1.7.0 in a virtual environment (OCDSKIT, default /work/venv-ocdskit/bin/ocdskit):
#   python3 -m venv /work/venv-ocdskit && /work/venv-ocdskit/bin/pip install ocdskit==1.7.0
# Inputs and outputs go to $BENCH_DIR (default /tmp/ocds-bench). Data: $DATA (default
# ../shared/data/ocds relative to the repository root).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
CRATE=$ROOT/crates/ocds
DATA=${DATA:-$ROOT/../shared/data/ocds}
OCDSKIT=${OCDSKIT:-/work/venv-ocdskit/bin/ocdskit}
BENCH_DIR=${BENCH_DIR:-/tmp/ocds-bench}
TARGET=${CARGO_TARGET_DIR:-/work/target-ocds}
SCHEMA=$CRATE/schemas/release-schema.json
SIZES=("${@:-10 100}")
[ $# -eq 0 ] && SIZES=(10 100)

mkdir -p "$BENCH_DIR"
(cd "$ROOT" && CARGO_TARGET_DIR=$TARGET cargo build --release -q -p ocds --example ngc_ocds --example json_floor)
NGC=$TARGET/release/examples/ngc_ocds
FLOOR=$TARGET/release/examples/json_floor

inputs=()
cat "$DATA"/contracts-finder/json_1_1_raw/*.json > "$BENCH_DIR/contracts-finder.json"
inputs+=("contracts-finder")
for size in "${SIZES[@]}"; do
  f="$BENCH_DIR/generated-${size}mb.json"
  [ -s "$f" ] || python3 "$CRATE/bench/generate.py" "$CRATE/tests/fixtures/merging" "$size" > "$f"
  inputs+=("generated-${size}mb")
done

# run OUTFILE CMD... : prints "cpu_seconds(user+sys) wall_seconds peak_rss_mb"
run() {
  local out=$1; shift
  /usr/bin/time -f "%U %S %e %M" -o "$BENCH_DIR/time.txt" "$@" > "$out"
  awk '{ printf "%.2f %.2f %.0f", $1 + $2, $3, $4 / 1024 }' "$BENCH_DIR/time.txt"
}

same() {  # byte-identical, else JSON-equal with records in any order
  cmp -s "$1" "$2" && { echo "identical bytes"; return; }
  python3 - "$1" "$2" <<'PY'
import json, sys
def load(p):
    items = [json.loads(l) for l in open(p) if l.strip()]
    for i in items:
        if isinstance(i, dict) and "records" in i:
            i["records"].sort(key=lambda r: r["ocid"])
    items.sort(key=lambda i: json.dumps(i, sort_keys=True))
    return items
print("JSON-equal" if load(sys.argv[1]) == load(sys.argv[2]) else "DIFFERENT")
PY
}

printf "| input | size | mode | ngc CPU s (wall) | ngc peak MB | ocdskit CPU s (wall) | ocdskit peak MB | speed-up (CPU) | serde_json floor CPU s | output |\n"
printf "|---|---|---|---|---|---|---|---|---|---|\n"
for input in "${inputs[@]}"; do
  f="$BENCH_DIR/$input.json"
  mb=$(du -m "$f" | cut -f1)
  read -r floor_s _ _ <<< "$(run "$BENCH_DIR/floor.out" "$FLOOR" < "$f")"
  for mode in "" "--versioned" "--package --versioned"; do
    # shellcheck disable=SC2086
    read -r ngc_s ngc_wall ngc_mb <<< "$(run "$BENCH_DIR/ngc.out" "$NGC" compile --schema "$SCHEMA" $mode < "$f")"
    # shellcheck disable=SC2086
    read -r kit_s kit_wall kit_mb <<< "$(run "$BENCH_DIR/kit.out" "$OCDSKIT" compile --schema "$SCHEMA" $mode < "$f")"
    speedup=$(awk -v a="$kit_s" -v b="$ngc_s" 'BEGIN { printf "%.1f×", a / (b > 0 ? b : 0.005) }')
    printf "| %s | %s MB | compile %s | %s (%s) | %s | %s (%s) | %s | %s | %s | %s |\n" \
      "$input" "$mb" "$mode" "$ngc_s" "$ngc_wall" "$ngc_mb" "$kit_s" "$kit_wall" "$kit_mb" "$speedup" "$floor_s" \
      "$(same "$BENCH_DIR/ngc.out" "$BENCH_DIR/kit.out")"
  done
done
