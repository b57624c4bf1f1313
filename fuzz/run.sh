#!/usr/bin/env bash
# Run each fuzz target for a set time, one after the other, in one process
# each (libFuzzer's default: one job, no workers), and print its
# executions and crashes. Needs cargo-fuzz (`cargo install
# cargo-fuzz`); libFuzzer's nightly flags are enabled on a stable
# toolchain with RUSTC_BOOTSTRAP=1.
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET ...]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(document config citation human office)
fi
export RUSTC_BOOTSTRAP=1
mkdir -p corpus logs
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    # Seed with the samples the project ships.
    case "$target" in
        config) seeds=(../agency-rules/*/access.yaml ../policies/*/fixtures/*.yaml) ;;
        human)
            seeds=()
            # An access configuration, a NUL, a rules document.
            for d in ../agency-rules/*/; do
                { cat "$d/access.yaml"; printf '\0'; cat "$d/rules.md" 2>/dev/null || true; } \
                    >"corpus/human/seed-$(basename "$d")"
            done
            ;;
        office) seeds=(../tests/office/*.docx ../tests/office/*.odt) ;;
        *) seeds=(../agency-rules/*/rules.md ../policies/*/fixtures/*.md) ;;
    esac
    for seed in "${seeds[@]}"; do
        if [ -f "$seed" ]; then
            cp "$seed" "corpus/$target/seed-$(echo "$seed" | tr '/.' '__')"
        fi
    done
    log="logs/$target.log"
    status=0
    cargo fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$log" 2>&1 || status=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
    if [ -z "$execs" ]; then
        execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
    fi
    crashes=$(find artifacts/"$target" -type f 2>/dev/null | wc -l)
    echo "$target: ${execs:-0} executions in ${seconds}s, ${crashes} crash artifacts, exit ${status}"
done
