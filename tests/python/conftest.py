"""Shared helpers for the Python package's tests: the checkout, the release
CLI (what the package must agree with), and records read back from it.

Run by `make python-test` (which builds the CLI and installs the wheel into
.venv first); never part of `cargo test`.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(os.environ.get("JIXIAO_BIN", ROOT / "target" / "release" / "jixiao"))


def cli(*args, **kw):
    """Runs the CLI in the checkout; returns the finished process."""
    return subprocess.run([str(CLI), *args], cwd=ROOT, capture_output=True, check=False, **kw)


def cli_records(*args):
    """The CLI's JSON Lines for `extract ARGS`, as dicts."""
    done = cli("extract", "-q", *args)
    assert done.returncode == 0, done.stderr.decode()
    return [json.loads(line) for line in done.stdout.decode().splitlines()]


def sorted_rows(rows):
    """Rows (dicts) in one order whatever the order they came in."""
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))


@pytest.fixture(autouse=True)
def in_checkout(monkeypatch):
    # Records name files as given (corpus/…), so every test runs where the CLI does.
    monkeypatch.chdir(ROOT)
