#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600), two at a time, and prints each one's
# executions and findings. Logs in fuzz/logs/, crashing inputs in fuzz/artifacts/<target>/.
# Needs the nightly toolchain and cargo-fuzz; seed the corpora first with fuzz/seed.sh.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
targets=${TARGETS:-"read_text read_html read_docx read_pdf table_builder extract_document normalize discover robots_manifest"}
mkdir -p logs
cargo +nightly fuzz build -O
run_one() {
  t=$1
  mkdir -p corpus/$t
  cargo +nightly fuzz run -O $t corpus/$t -- -max_total_time=$2 -timeout=20 -rss_limit_mb=2048 \
    -max_len=262144 -print_final_stats=1 > logs/$t.log 2>&1 || echo "$t: FINDING (see logs/$t.log)"
  echo "$t: $(grep -Eo 'stat::number_of_executed_units: *[0-9]+' logs/$t.log | grep -Eo '[0-9]+$') executions in $2 s"
}
export -f run_one
printf '%s\n' $targets | xargs -P 2 -I{} bash -c "run_one {} $seconds"
