#!/usr/bin/env bash
# Benchmark `ngc ocds compile` against `ocdskit compile` (and a plain serde_json read-and-write).
#
# usage: crates/ocds/bench/compile.sh [SIZES_MB...]       (default: 10 100)
#
# Needs: hyperfine (Debian: apt-get install hyperfine), GNU time (/usr/bin/time), and ocdskit
# 1.7.0 in a virtual environment (OCDSKIT, default /work/venv-ocdskit/bin/ocdskit):
#   python3 -m venv /work/venv-ocdskit && /work/venv-ocdskit/bin/pip install ocdskit==1.7.0
# Inputs and outputs go to $BENCH_DIR (default /tmp/ocds-bench). Data: $DATA (default
# ../shared/data/ocds relative to the repository root). Runs: $RUNS (default 20) per ngc
# figure, 5 per ocdskit figure (1 when a run takes more than 10 s), after warm-up runs.
#
# Wall time is the median of the runs; CPU time (user + system) their mean; peak memory the
# maximum resident set size of one more run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
CRATE=$ROOT/crates/ocds
DATA=${DATA:-$ROOT/../shared/data/ocds}
OCDSKIT=${OCDSKIT:-/work/venv-ocdskit/bin/ocdskit}
BENCH_DIR=${BENCH_DIR:-/tmp/ocds-bench}
TARGET=${CARGO_TARGET_DIR:-/work/target-ocds}
RUNS=${RUNS:-20}
SCHEMA=$CRATE/schemas/release-schema.json
SIZES=("$@")
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

# measure RUNS WARMUP "COMMAND" : prints "median_wall_s cpu_s" (COMMAND is run by a shell)
measure() {
  hyperfine -w "$2" -r "$1" --export-json "$BENCH_DIR/hf.json" "$3" > /dev/null
  python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.4f %.4f" % (r["median"], r["user"] + r["system"]))' "$BENCH_DIR/hf.json"
}

# peak OUT CMD... : runs once, output to OUT; prints "wall_s peak_rss_mb"
peak() {
  local out=$1; shift
  /usr/bin/time -f "%e %M" -o "$BENCH_DIR/time.txt" "$@" > "$out"
  awk '{ printf "%.2f %.0f", $1, $2 / 1024 }' "$BENCH_DIR/time.txt"
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

printf "| input | size | mode | ngc wall ms (CPU) | ngc peak MB | ocdskit wall ms (CPU) | ocdskit peak MB | speed-up wall (CPU) | serde_json floor wall ms | output |\n"
printf "|---|---|---|---|---|---|---|---|---|---|\n"
for input in "${inputs[@]}"; do
  f="$BENCH_DIR/$input.json"
  mb=$(du -m "$f" | cut -f1)
  read -r floor_s _ <<< "$(measure "$RUNS" 3 "$FLOOR < $f > /dev/null")"
  for mode in "" "--versioned" "--package --versioned"; do
    cmd="$NGC compile --schema $SCHEMA $mode"
    kit="$OCDSKIT compile --schema $SCHEMA $mode"
    # shellcheck disable=SC2086
    read -r _ ngc_mb <<< "$(peak "$BENCH_DIR/ngc.out" $cmd < "$f")"
    read -r ngc_s ngc_cpu <<< "$(measure "$RUNS" 3 "$cmd < $f > /dev/null")"
    # shellcheck disable=SC2086
    read -r kit_once kit_mb <<< "$(peak "$BENCH_DIR/kit.out" $kit < "$f")"
    if awk -v t="$kit_once" 'BEGIN { exit !(t > 10) }'; then
      read -r kit_s kit_cpu <<< "$(measure 1 0 "$kit < $f > /dev/null")"
    else
      read -r kit_s kit_cpu <<< "$(measure 5 1 "$kit < $f > /dev/null")"
    fi
    speedup=$(awk -v a="$kit_s" -v b="$ngc_s" -v c="$kit_cpu" -v d="$ngc_cpu" \
      'BEGIN { printf "%.1f× (%.1f×)", a / b, c / (d > 0 ? d : 0.001) }')
    ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
    printf "| %s | %s MB | compile %s | %s (%s) | %s | %s (%s) | %s | %s | %s | %s |\n" \
      "$input" "$mb" "$mode" "$(ms "$ngc_s")" "$(ms "$ngc_cpu")" "$ngc_mb" \
      "$(ms "$kit_s")" "$(ms "$kit_cpu")" "$kit_mb" "$speedup" "$(ms "$floor_s")" \
      "$(same "$BENCH_DIR/ngc.out" "$BENCH_DIR/kit.out")"
  done
done
