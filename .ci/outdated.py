#!/usr/bin/env python3
"""Fails when a direct dependency of `dixa` is a semver-major behind crates.io.

Reads every dependency table of generated/Cargo.toml (`[dependencies]` and the
`[target.'cfg(...)'.dependencies]` tables, which the generator copies from
generator/runtime/Cargo.toml) and asks `cargo info` for the newest version of each crate, one
call per crate, in parallel. A dependency is behind when that version lies outside the caret
range of its requirement: `0.12` is behind `0.13.5` (for 0.x the minor is the major), `1` is not
behind `1.9.0`, and `0.4` is not behind `0.4.45`. Prereleases never count, and build metadata
(`0.9.34+deprecated`) is ignored.

An upgrade that is impossible goes in EXCEPTIONS with its reason; an exception whose crate is no
longer behind fails the check too, so the list cannot go stale. Needs only python3 (3.11, for
tomllib), cargo and the network to crates.io.

    python3 .ci/outdated.py [path/to/Cargo.toml]

The parsing and the comparison are tested by .ci/test_outdated.py.
"""

from __future__ import annotations

import concurrent.futures
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

# crate name -> why it stays a major behind. Empty today: every direct dependency of `dixa` is on
# the newest major. An entry must say what stops the upgrade and what would lift it.
EXCEPTIONS: dict[str, str] = {}

_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")
_REQUIREMENT = re.compile(r"^\^?\s*(\d+)(?:\.(\d+|\*))?(?:\.(\d+|\*))?$")
_INFO_VERSION = re.compile(r"^version:\s*(\S+)(?:\s+\(latest\s+([^)\s]+)\))?", re.MULTILINE)


def parse_version(text: str) -> tuple[int, int, int, str | None]:
    """`1.2.3`, `1.2.3-rc.1` or `0.9.34+deprecated` as (major, minor, patch, prerelease)."""
    m = _VERSION.match(text.strip())
    if not m:
        raise ValueError(f"not a semver version: {text!r}")
    return int(m[1]), int(m[2]), int(m[3]), m[4]


def caret_upper_bound(requirement: str) -> tuple[int, int, int]:
    """The first version a caret (or bare) requirement no longer accepts.

    Other operators (`=`, `~`, `>=`, ranges) are refused: the SDK's manifest does not use them,
    and what "a major behind" means for them would be a guess.
    """
    m = _REQUIREMENT.match(requirement.strip())
    if not m:
        raise ValueError(f"only caret requirements are checked, not {requirement!r}")
    major = int(m[1])
    minor = None if m[2] in (None, "*") else int(m[2])
    patch = None if m[3] in (None, "*") else int(m[3])
    if major > 0 or minor is None:
        return major + 1, 0, 0
    if minor > 0 or patch is None:
        return 0, minor + 1, 0
    return 0, 0, patch + 1


def is_major_behind(requirement: str, newest: str) -> bool:
    """Whether `newest` (a released version) is outside the requirement's caret range."""
    major, minor, patch, pre = parse_version(newest)
    if pre is not None:
        # A prerelease is not what the registry "offers" to a caret requirement.
        return False
    return (major, minor, patch) >= caret_upper_bound(requirement)


def newest_from_cargo_info(output: str) -> str:
    """The newest version in `cargo info` output.

    Outside a workspace the line is `version: 0.13.5`; inside one that locks the crate it is
    `version: 0.12.28 (latest 0.13.5)`, and the `latest` one is the newest.
    """
    m = _INFO_VERSION.search(output)
    if not m:
        raise ValueError("no `version:` line in the output of `cargo info`")
    return m[2] or m[1]


def direct_dependencies(manifest: dict) -> dict[str, str]:
    """crate name (as published) -> version requirement, over every normal dependency table."""
    tables = [manifest.get("dependencies", {})]
    for target in manifest.get("target", {}).values():
        tables.append(target.get("dependencies", {}))
    out: dict[str, str] = {}
    for table in tables:
        for key, spec in table.items():
            if isinstance(spec, str):
                name, version = key, spec
            else:
                if "path" in spec or "git" in spec:
                    continue
                name, version = spec.get("package", key), spec["version"]
            out[name] = version
    return dict(sorted(out.items()))


def newest_on_crates_io(name: str, cwd: str) -> str:
    # Run outside the repository, so the answer is the registry's and not the lock file's.
    result = subprocess.run(
        ["cargo", "info", "--quiet", name],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"`cargo info {name}` failed: {result.stderr.strip()}")
    return newest_from_cargo_info(result.stdout)


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "generated/Cargo.toml"
    with path.open("rb") as f:
        dependencies = direct_dependencies(tomllib.load(f))
    with tempfile.TemporaryDirectory() as cwd, concurrent.futures.ThreadPoolExecutor(8) as pool:
        newest = dict(zip(dependencies, pool.map(lambda n: newest_on_crates_io(n, cwd), dependencies)))
    problems = []
    for name, requirement in dependencies.items():
        behind = is_major_behind(requirement, newest[name])
        state = "BEHIND" if behind else "current"
        if name in EXCEPTIONS:
            state += f" (exception: {EXCEPTIONS[name]})"
            if not behind:
                problems.append(f"{name}: listed as an exception but current; remove it from EXCEPTIONS")
        elif behind:
            problems.append(f"{name} = \"{requirement}\" is a semver-major behind {newest[name]}")
        print(f"{name:24} {requirement:10} newest {newest[name]:20} {state}")
    for name in sorted(set(EXCEPTIONS) - set(dependencies)):
        problems.append(f"{name}: listed as an exception but not a dependency; remove it")
    if problems:
        print("\n".join(["", "outdated dependencies of dixa:", *problems]), file=sys.stderr)
        return 1
    print(f"{len(dependencies)} direct dependencies of dixa, none a major behind crates.io")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
