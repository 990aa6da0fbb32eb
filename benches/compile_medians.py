#!/usr/bin/env python3
"""Summarises the rounds of `benches/run.sh compile`: the median of every command over all rounds,
and the ratio of dixa to each progenitor crate per round (both timed in the same round, so under
about the same machine load) with the median of those ratios.

Wall time is what a user waits for, but on a machine shared with other jobs it mostly measures
the queue for a core; CPU time (user + system, of cargo and the compilers it runs) is far less
sensitive to that load, so both are reported.

    python3 benches/compile_medians.py target/bench-results/compile-round-*.json
"""

import json
import statistics
import sys


def main(paths):
    if not paths:
        sys.exit("usage: compile_medians.py ROUND.json...")
    rounds = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            # Every command runs once per round, so a result's mean user and system times are
            # those of its one run.
            rounds.append(
                {
                    r["command"]: (statistics.median(r["times"]), r["user"] + r["system"])
                    for r in json.load(f)["results"]
                }
            )

    # The rounds rotate the order of the commands, so they are listed by name.
    commands = sorted({name for r in rounds for name in r})
    print(f"{len(rounds)} rounds; seconds, median [min-max] over the rounds")
    print(f"  {'command':34} {'wall':>19}   {'CPU (user+sys)':>19}")
    for name in commands:
        cells = []
        for kind in (0, 1):
            xs = [r[name][kind] for r in rounds if name in r]
            cells.append(f"{statistics.median(xs):6.2f} [{min(xs):5.2f}-{max(xs):5.2f}]")
        print(f"  {name:34} {cells[0]}   {cells[1]}")

    print("dixa / progenitor: median of the per-round ratios (below 1: dixa is faster), then each round")
    for mode in ("check", "build"):
        for other in ("progenitor-positional", "progenitor-builder"):
            mine, theirs = f"{mode} dixa", f"{mode} {other}"
            for kind, label in ((0, "wall"), (1, "CPU")):
                ratios = [r[mine][kind] / r[theirs][kind] for r in rounds if mine in r and theirs in r]
                if ratios:
                    per_round = " ".join(f"{x:.2f}" for x in ratios)
                    print(f"  {mode} vs {other:22} {label:4} {statistics.median(ratios):.3f}  ({per_round})")


if __name__ == "__main__":
    main(sys.argv[1:])
