#!/usr/bin/env bash
# Measures what BENCHMARKS.md reports, on this machine, in one run (absolute times drift between
# machines and days; ratios measured side by side hold). Prints medians.
#
#   bash benches/run.sh            # everything (about 10 minutes on 2 cores)
#   bash benches/run.sh generator  # one part: generator | compile | decode | client
#
# Needs hyperfine (`apt-get install hyperfine`).
set -euo pipefail
cd "$(dirname "$0")/.."
parts=${1:-"generator compile decode client"}
out=target/bench-results
mkdir -p "$out"
command -v hyperfine >/dev/null || { echo "hyperfine is required: apt-get install hyperfine" >&2; exit 1; }

median() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print('\n'.join(f\"{x['command']}: median {x['median']*1000:.1f} ms\" for x in r))" "$1"; }

for part in $parts; do
  case $part in
  generator)
    echo "== generator end to end (--check) vs reading and parsing the spec into openapiv3 types"
    cargo build --quiet --release -p generator --bins --examples
    hyperfine -N --warmup 3 --runs 30 --export-json "$out/generator.json" \
      'target/release/examples/bare_parse spec/dixa-api.yaml' \
      'target/release/generator --check' >/dev/null
    median "$out/generator.json"
    /usr/bin/time -f "generator peak memory: %M KiB" target/release/generator --check >/dev/null
    ;;
  compile)
    echo "== dixa: cargo check / cargo build of the crate alone (dependencies built, non-incremental)"
    cargo build --quiet -p dixa && cargo check --quiet -p dixa
    for f in "" "--no-default-features --features tags" "--no-default-features --features conversations"; do
      cargo check --quiet -p dixa $f
    done
    hyperfine --warmup 1 --runs 5 --export-json "$out/compile.json" \
      --prepare 'touch generated/src/lib.rs' \
      -n 'check (all features)' 'CARGO_INCREMENTAL=0 cargo check --quiet -p dixa' \
      -n 'build (all features)' 'CARGO_INCREMENTAL=0 cargo build --quiet -p dixa' \
      -n 'check (tags only)' 'CARGO_INCREMENTAL=0 cargo check --quiet -p dixa --no-default-features --features tags' \
      -n 'check (conversations only)' 'CARGO_INCREMENTAL=0 cargo check --quiet -p dixa --no-default-features --features conversations' \
      >/dev/null
    median "$out/compile.json"
    echo "lines of Rust in generated/: $(find generated -name '*.rs' -print0 | xargs -0 cat | wc -l)"
    ;;
  decode)
    echo "== decoding 10,000 conversations: typed models vs serde_json::Value (criterion)"
    cargo bench --quiet -p dixa-benches --bench decode -- --noplot >/dev/null 2>&1
    for d in target/criterion/decode_10000_conversations/*/*/new; do
      python3 -c "import json,sys; e=json.load(open(sys.argv[1]+'/estimates.json')); print(sys.argv[2]+': median', round(e['median']['point_estimate']/1e6, 1), 'ms')" "$d" "$(basename "$(dirname "$(dirname "$d")")")"
    done
    ;;
  client)
    echo "== one request against a local server: SDK vs bare reqwest (criterion)"
    cargo bench --quiet -p dixa-benches --bench client -- --noplot >/dev/null 2>&1
    for d in target/criterion/request_list_tags/*/new; do
      python3 -c "import json,sys; e=json.load(open(sys.argv[1]+'/estimates.json')); print(sys.argv[2]+': median', round(e['median']['point_estimate']/1e3, 1), 'us')" "$d" "$(basename "$(dirname "$d")")"
    done
    ;;
  esac
done
