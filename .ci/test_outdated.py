"""Unit tests of .ci/outdated.py: the version comparison and the parsing of `cargo info` and of
the manifest. Run with `python3 .ci/test_outdated.py` (no network)."""

import importlib.util
import sys
import unittest
from pathlib import Path

_spec = importlib.util.spec_from_file_location("outdated", Path(__file__).with_name("outdated.py"))
outdated = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(outdated)


class MajorBehind(unittest.TestCase):
    def test_for_0x_the_minor_is_the_major(self):
        self.assertTrue(outdated.is_major_behind("0.12", "0.13.5"))
        self.assertTrue(outdated.is_major_behind("0.10", "0.11.1"))
        self.assertFalse(outdated.is_major_behind("0.13", "0.13.5"))
        self.assertFalse(outdated.is_major_behind("0.4", "0.4.45"))

    def test_from_1_the_major_is_the_major(self):
        self.assertFalse(outdated.is_major_behind("1.2", "1.9.0"))
        self.assertFalse(outdated.is_major_behind("1", "1.29.3"))
        self.assertTrue(outdated.is_major_behind("1", "2.0.0"))
        self.assertTrue(outdated.is_major_behind("2", "3.0.10"))

    def test_0_0_x_each_patch_is_a_major(self):
        self.assertTrue(outdated.is_major_behind("0.0.3", "0.0.4"))
        self.assertFalse(outdated.is_major_behind("0.0.3", "0.0.3"))
        self.assertFalse(outdated.is_major_behind("0.0", "0.0.9"))
        self.assertTrue(outdated.is_major_behind("0.0", "0.1.0"))

    def test_caret_and_full_requirements(self):
        self.assertTrue(outdated.is_major_behind("^0.12.28", "0.13.0"))
        self.assertFalse(outdated.is_major_behind("^1.0.200", "1.0.229"))
        self.assertFalse(outdated.is_major_behind("0", "0.99.0"))
        self.assertTrue(outdated.is_major_behind("0", "1.0.0"))

    def test_prereleases_and_metadata(self):
        self.assertFalse(outdated.is_major_behind("1", "2.0.0-rc.1"))
        self.assertFalse(outdated.is_major_behind("0.9", "0.9.34+deprecated"))
        self.assertTrue(outdated.is_major_behind("0.8", "0.9.34+deprecated"))

    def test_other_operators_are_refused(self):
        for requirement in ["=1.2.3", "~1.2", ">=1, <3", "*"]:
            with self.assertRaises(ValueError):
                outdated.is_major_behind(requirement, "1.2.3")
        with self.assertRaises(ValueError):
            outdated.is_major_behind("1", "1.2")


class CargoInfo(unittest.TestCase):
    def test_outside_a_workspace(self):
        output = "reqwest #http\nhigher level HTTP client library\nversion: 0.13.5\nlicense: MIT\n"
        self.assertEqual(outdated.newest_from_cargo_info(output), "0.13.5")

    def test_inside_a_workspace_the_latest_wins(self):
        output = "reqwest #http\nversion: 0.12.28 (latest 0.13.5)\nrust-version: 1.64.0\n"
        self.assertEqual(outdated.newest_from_cargo_info(output), "0.13.5")

    def test_a_feature_line_is_not_the_version(self):
        output = "foo\nfeatures:\n  version = [dep:x]\nversion: 1.0.0\n"
        self.assertEqual(outdated.newest_from_cargo_info(output), "1.0.0")

    def test_no_version_is_an_error(self):
        with self.assertRaises(ValueError):
            outdated.newest_from_cargo_info("error: could not find `nope` in registry\n")


class Manifest(unittest.TestCase):
    def test_every_normal_dependency_table(self):
        manifest = {
            "dependencies": {
                "serde": {"version": "1", "features": ["derive"]},
                "hex": "0.4",
                "local": {"path": "../local"},
                "http02": {"package": "http", "version": "0.2"},
            },
            "dev-dependencies": {"tokio": "1"},
            "target": {
                "cfg(target_arch = \"wasm32\")": {"dependencies": {"js-sys": "0.3"}},
                "cfg(unix)": {"dev-dependencies": {"libc": "0.2"}},
            },
        }
        self.assertEqual(
            outdated.direct_dependencies(manifest),
            {"hex": "0.4", "http": "0.2", "js-sys": "0.3", "serde": "1"},
        )


if __name__ == "__main__":
    sys.exit(unittest.main())
