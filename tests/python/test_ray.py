"""examples/ray_ingest.py on a local Ray (2 CPUs) over the corpus: the same
records as the CLI's, and its wall time beside the CLI's on the same files."""

import os
import subprocess
import sys
import time

import pyarrow.parquet as pq

import jixiao
from conftest import ROOT, cli, cli_records, sorted_rows


def test_the_ray_example_gives_the_records_of_the_cli(tmp_path, capsys):
    out = tmp_path / "ray"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples/ray_ingest.py"), "corpus", "--out", str(out), "--num-cpus", "2"],
        cwd=ROOT,
        capture_output=True,
        # Nothing leaves the machine: no usage report, no dashboard.
        env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"},
    )
    ray_seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stderr.decode()[-3000:]

    started = time.perf_counter()
    assert cli("extract", "-q", "corpus", "--jobs", "2", "--format", "parquet", "-o", str(tmp_path / "cli")).returncode == 0
    cli_seconds = time.perf_counter() - started

    want = jixiao.to_arrow(cli_records("corpus"))
    for name, table in want.items():
        folder = out / name
        rows = pq.read_table(folder).to_pylist() if folder.exists() else []
        assert sorted_rows(rows) == sorted_rows(table.to_pylist()), name
    with capsys.disabled():
        print(
            f"\nray_ingest on a local Ray (2 CPUs): {ray_seconds:.2f}s wall, start-up included; "
            f"jixiao extract --jobs 2 on the same files: {cli_seconds:.2f}s ({ray_seconds / cli_seconds:.0f}x)"
        )
