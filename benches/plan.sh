#!/usr/bin/env bash
# Wall time and peak RSS of the whole `binnenstad plan` (the real CLI) on Amsterdam
# and on synthetic cities of 70k and 1M buildings; per-stage times from --timings.
#
#   benches/plan.sh                 # all three, median of 3 (1M: 1 run)
#   SIZES="70000" RUNS=5 benches/plan.sh
#
# Needs /usr/bin/time (apt-get install time). Synthetic maps are written once to
# /tmp/synth<N> by examples/synth_map.rs. Benchmarks measure; tests never time anything.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"70000 1000000"}
RUNS=${RUNS:-3}
cargo build --release --quiet --bin binnenstad --example synth_map
BIN=target/release/binnenstad

measure() { # name scenario runs
  local name=$1 scenario=$2 runs=$3 walls=() rss=0
  for _ in $(seq "$runs"); do
    local out; out=$(mktemp -d)
    /usr/bin/time -f "%e %M" -o "$out.time" "$BIN" plan "$scenario" --out "$out/o" --timings \
      2> >(grep -v '^warning' > "$out.timings") > /dev/null
    read -r wall kb < "$out.time"
    walls+=("$wall"); (( kb > rss )) && rss=$kb
    cp "$out.timings" "/tmp/plan-$name.timings"; rm -rf "$out" "$out.time"
  done
  local median; median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-18s wall %7.2f s (median of %d)  peak RSS %6.0f MB\n' "$name" "$median" "$runs" "$((rss / 1024))"
  echo "  slowest stages:"; grep -E '^[a-z]' "/tmp/plan-$name.timings" | grep -v total | sort -k2 -n -r | head -3 | sed 's/^/    /'
}

measure amsterdam-centrum scenarios/amsterdam-centrum.toml "$RUNS"
for n in $SIZES; do
  [ -f "/tmp/synth$n/scenario.toml" ] || target/release/examples/synth_map --buildings "$n" --out "/tmp/synth$n" > /dev/null
  runs=$RUNS; (( n >= 1000000 )) && runs=1
  measure "synth-$n" "/tmp/synth$n/scenario.toml" "$runs"
done
echo "Python comparison: python3 benches/compare_python.py /tmp/synth70000"
