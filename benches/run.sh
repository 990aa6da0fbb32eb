#!/usr/bin/env bash
# Measures what BENCHMARKS.md reports, on this machine, in one run (absolute times drift between
# machines and days; ratios measured side by side hold). Prints medians.
#
#   bash benches/run.sh            # everything (about 20 minutes on 2 cores, more the first time:
#                                  # installing cargo-progenitor and building crates' dependencies)
#   bash benches/run.sh generator  # one part: generator | compile | instructions | decode | client
#
# Needs hyperfine (`apt-get install hyperfine`) and python3 with PyYAML, and valgrind for the
# instructions part (not run by default: about 15 minutes) and the generator's instruction counts
# (printed when valgrind is there); the compile parts install
# cargo-progenitor when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
parts=${1:-"generator compile decode client"}
# Rounds of the compile comparison (each checks and builds three crates, about 1.5 minutes on 2 idle
# cores).
rounds=${BENCH_ROUNDS:-5}
[ "$rounds" -ge 1 ] || { echo "BENCH_ROUNDS must be at least 1" >&2; exit 1; }
progenitor_version=0.15.1
out=target/bench-results
mkdir -p "$out"
command -v hyperfine >/dev/null || { echo "hyperfine is required: apt-get install hyperfine" >&2; exit 1; }

median() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print('\n'.join(f\"{x['command']}: median {x['median']*1000:.1f} ms\" for x in r))" "$1"; }

# The three crates the compile parts compare, each standalone under target/bench-compile with its
# own target directory and its dependencies built: dixa (a copy of generated/) and progenitor's
# crate for the same spec in its positional and its builder interface.
bench=target/bench-compile
prepare_compile_crates() {
    mkdir -p "$bench"
    if ! cargo install --list | grep -qx "cargo-progenitor v${progenitor_version}:"; then
      cargo install --locked cargo-progenitor --version "$progenitor_version"
    fi
    python3 benches/progenitor_input.py spec/dixa-api.yaml "$bench/progenitor.json"
    # Sources are written afresh; the target directories (target-<crate>) are kept between runs of
    # this script, so dependencies are built once.
    rm -rf "$bench/dixa" "$bench"/progenitor-{positional,builder}
    cp -r generated "$bench/dixa"
    cp Cargo.lock "$bench/dixa/"
    for interface in positional builder; do
      cargo progenitor -i "$bench/progenitor.json" -o "$bench/progenitor-$interface" \
        -n "progenitor-$interface" -v 0.1.0 --interface "$interface" >/dev/null
    done
    for crate in dixa progenitor-positional progenitor-builder; do
      # Each crate is a workspace of its own, not a stray package of this repository's workspace.
      grep -qx '\[workspace\]' "$bench/$crate/Cargo.toml" || printf '\n[workspace]\n' >>"$bench/$crate/Cargo.toml"
      cargo build --quiet --manifest-path "$bench/$crate/Cargo.toml" --target-dir "$bench/target-$crate"
      cargo check --quiet --manifest-path "$bench/$crate/Cargo.toml" --target-dir "$bench/target-$crate"
      echo "$crate: $(find "$bench/$crate/src" -name '*.rs' -print0 | xargs -0 cat | wc -l) lines of Rust"
    done
}

for part in $parts; do
  case $part in
  generator)
    echo "== generator end to end (--check) vs reading and parsing the spec into openapiv3 types"
    cargo build --quiet --release -p generator --bins --examples
    # Six rounds of ten runs each, the two commands alternating, pooled: on a shared machine a
    # burst of load that lasts seconds then slows both sides alike instead of one.
    for round in 1 2 3 4 5 6; do
      hyperfine -N --warmup 2 --runs 10 --export-json "$out/generator-$round.json" \
        'target/release/examples/bare_parse spec/dixa-api.yaml' \
        'target/release/generator --check' >/dev/null
    done
    python3 - "$out"/generator-[1-6].json <<'PY'
import json, statistics, sys
times = {}
for path in sys.argv[1:]:
    for result in json.load(open(path))["results"]:
        times.setdefault(result["command"], []).extend(result["times"])
medians = {command: statistics.median(t) * 1000 for command, t in times.items()}
for command, median in medians.items():
    print(f"{command}: median {median:.1f} ms ({len(times[command])} runs)")
bare, generator = medians.values()
print(f"generator / bare parse: {generator / bare:.2f}x")
PY
    /usr/bin/time -f "generator peak memory: %M KiB" target/release/generator --check >/dev/null
    # Instructions do not depend on the machine's load, which times on a shared machine do. The
    # generator renders on two threads after the main one, so its wall time follows the main
    # thread's count plus the larger of the two others.
    if command -v valgrind >/dev/null; then
      count() { sed -n 's/.*I *refs: *//p'; }
      echo "bare parse: $(valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        target/release/examples/bare_parse spec/dixa-api.yaml 2>&1 >/dev/null | count) instructions"
      rm -f "$out"/generator.callgrind*
      echo "generator: $(valgrind --tool=callgrind --separate-threads=yes \
        --callgrind-out-file="$out/generator.callgrind" target/release/generator --check 2>&1 >/dev/null | count) instructions"
      for f in "$out"/generator.callgrind-*; do
        echo "  thread ${f##*-}: $(sed -n 's/^totals: *//p' "$f") instructions"
      done
    fi
    ;;
  compile)
    # dixa against progenitor's crate for the same spec, in positional and in builder interface:
    # each crate standalone under target/bench-compile with its own target directory, its
    # dependencies built first, non-incremental, its lib.rs touched before every timed run. Rounds
    # alternate the crates (and rotate which goes first) so that the load of a shared machine hits
    # all of them alike; medians and per-round ratios are over all rounds.
    echo "== compile times: dixa vs progenitor ${progenitor_version} (positional and builder), ${rounds} alternating rounds"
    prepare_compile_crates
    for f in tags conversations; do
      cargo check --quiet --manifest-path "$bench/dixa/Cargo.toml" --target-dir "$bench/target-dixa" --no-default-features --features $f
    done
    export CARGO_INCREMENTAL=0
    crates=(dixa progenitor-positional progenitor-builder)
    rm -f "$out"/compile-round-*.json
    for round in $(seq 1 "$rounds"); do
      args=()
      for i in 0 1 2; do
        crate=${crates[$(((i + round - 1) % 3))]}
        for mode in check build; do
          args+=(--prepare "touch $bench/$crate/src/lib.rs" -n "$mode $crate" "cargo $mode --quiet --manifest-path $bench/$crate/Cargo.toml --target-dir $bench/target-$crate")
        done
      done
      for f in tags conversations; do
        args+=(--prepare "touch $bench/dixa/src/lib.rs" -n "check dixa ($f only)"
          "cargo check --quiet --manifest-path $bench/dixa/Cargo.toml --target-dir $bench/target-dixa --no-default-features --features $f")
      done
      echo "round $round/$rounds, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
      # A compiler killed by the machine's other jobs (memory, disk) fails a round; it is run once
      # more before giving up, since the crates themselves compiled above.
      hyperfine --runs 1 --export-json "$out/compile-round-$round.json" "${args[@]}" >/dev/null ||
        { echo "round $round failed; running it again"; hyperfine --runs 1 --show-output --export-json "$out/compile-round-$round.json" "${args[@]}" >/dev/null; }
    done
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    python3 benches/compile_medians.py "$out"/compile-round-*.json
    ;;
  instructions)
    # The instructions rustc executes to check each crate with all its features, counted by
    # cachegrind: independent of the machine's load, so it resolves differences of a few percent
    # that CPU times on a shared machine cannot (a count moves by about 0.2% between runs).
    echo "== instructions of rustc checking each crate (cachegrind): dixa vs progenitor ${progenitor_version}"
    command -v valgrind >/dev/null || { echo "valgrind is required: apt-get install valgrind" >&2; exit 1; }
    prepare_compile_crates
    export CARGO_INCREMENTAL=0
    for crate in dixa progenitor-positional progenitor-builder; do
      dir="$root/$bench/$crate"
      touch "$dir/src/lib.rs"
      # rustc's own command for the crate, as cargo runs it, minus cargo's JSON diagnostics.
      cmd=$(cargo check -v --all-features --manifest-path "$dir/Cargo.toml" --target-dir "$root/$bench/target-$crate" 2>&1 |
        sed -n "s/^ *Running \`\(.*--crate-name ${crate//-/_} .*\)\`\$/\1/p" | tail -n 1 |
        sed 's/--error-format=json --json=[^ ]*//; s#--out-dir [^ ]*#--out-dir /tmp/dixa-bench-instructions#')
      [ -n "$cmd" ] || { echo "no rustc command found for $crate" >&2; exit 1; }
      version=$(python3 -c "import tomllib,sys; print(tomllib.load(open(sys.argv[1], 'rb'))['package']['version'])" "$dir/Cargo.toml")
      mkdir -p /tmp/dixa-bench-instructions
      count=$(cd "$dir" && CARGO_PKG_NAME=$crate CARGO_PKG_VERSION=$version CARGO_MANIFEST_DIR=$dir \
        eval "valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null $cmd" 2>&1 |
        sed -n 's/.*I *refs: *//p')
      echo "$crate: $count instructions"
    done
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
