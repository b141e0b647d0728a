#!/usr/bin/env bash
# Runs a libFuzzer target briefly, seeded with the given corpus folders:
#   run-fuzzer.sh FUZZER WORKDIR SECONDS SEED_DIR...
# New inputs go to WORKDIR/corpus (the seed folders are never written);
# crashes are written to WORKDIR and make the run fail.
set -euo pipefail
fuzzer=$1 work=$2 seconds=$3
shift 3
seeds=()
for d in "$@"; do [ -d "$d" ] && seeds+=("$d"); done
if [ ${#seeds[@]} -eq 0 ]; then
  echo "skipped: no seed corpus found ($*)"
  exit 77
fi
mkdir -p "$work/corpus"
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/" "$work/corpus" "${seeds[@]}"
