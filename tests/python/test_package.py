"""The Python package against the CLI: same records, errors as records, the
CLI's messages for bad arguments, the GIL released, and the wheel installed
into an empty virtual environment."""

import glob
import json
import subprocess
import sys
import threading
import time

import pyarrow.parquet as pq
import pytest

import jixiao
from conftest import ROOT, cli, cli_records


def test_extract_gives_the_records_of_the_cli():
    assert jixiao.extract(["corpus"]) == cli_records("corpus")
    # One thread or two: the same records in the same order.
    assert jixiao.extract("corpus", jobs=1) == cli_records("corpus", "--jobs", "1")


def test_extract_bytes_reads_a_document_without_its_file():
    data = (ROOT / "corpus/2024_report.pdf").read_bytes()
    assert jixiao.extract_bytes("corpus/2024_report.pdf", data) == cli_records("corpus/2024_report.pdf")
    # bytearray too (what some engines hand over).
    assert jixiao.extract_bytes("x.pdf", bytearray(data))[0]["status"] == "ok"


def test_a_truncated_pdf_is_an_error_record():
    data = (ROOT / "corpus/2022_form.pdf").read_bytes()
    (document,) = jixiao.extract_bytes("cut.pdf", data[:2000])
    assert document["type"] == "document"
    assert document["status"] == "error"
    assert document["path"] == "cut.pdf"
    assert document["error"]["code"] == "corrupt"
    # Cut after some pages, what survives is read and the record says so.
    recovered = jixiao.extract_bytes("cut.pdf", data[: len(data) // 3])
    assert recovered[0]["status"] == "ok"
    assert any("truncated" in w for w in recovered[0]["warnings"])


def test_bad_arguments_raise_with_the_messages_of_the_cli(tmp_path):
    with pytest.raises(FileNotFoundError, match="no/such/folder: no such file or directory"):
        jixiao.extract(["no/such/folder"])
    assert b"no/such/folder: no such file or directory" in cli("extract", "no/such/folder").stderr

    (tmp_path / "notes.md").write_text("nothing to read")
    with pytest.raises(ValueError, match="no .txt or .pdf reports found in"):
        jixiao.extract([tmp_path])

    with pytest.raises(ValueError) as raised:
        jixiao.extract(["corpus"], rules=tmp_path)
    message = str(raised.value)
    assert "units.toml:1:1: cannot read rule file" in message
    assert message.endswith("problem(s) in rule files; nothing was read")
    assert "problem(s) in rule files; nothing was read" in cli("extract", "--rules", str(tmp_path)).stderr.decode()

    with pytest.raises(TypeError):
        jixiao.extract_bytes("a.txt", "text, not bytes")


def test_the_gil_is_released_while_rust_works():
    """A Python thread keeps running while another is inside jixiao.extract."""
    jixiao.extract(["corpus/2022_form.txt"])  # rules and segmenter loaded before timing
    done = threading.Event()
    worker = threading.Thread(target=lambda: (jixiao.extract(["corpus"], jobs=1), done.set()))
    ticks = 0
    started = time.perf_counter()
    worker.start()
    while not done.is_set():
        ticks += 1
    worker.join()
    took = time.perf_counter() - started
    # With the GIL held, this loop would get a few switch intervals (5 ms) at most.
    assert took > 0.05
    assert ticks > 100_000, f"{ticks} loop turns in {took:.2f}s"


def test_to_arrow_gives_the_tables_of_the_parquet_output(tmp_path):
    records = jixiao.extract(["corpus"])
    tables = jixiao.to_arrow(records)
    assert tuple(tables) == jixiao.TABLES
    assert cli("extract", "-q", "corpus", "--format", "parquet", "-o", str(tmp_path)).returncode == 0
    for name, table in tables.items():
        written = pq.read_table(tmp_path / f"{name}.parquet")
        assert table.schema == written.schema, name
        assert table.equals(written), name
    figures = tables["figures"]
    assert figures.num_rows == sum(r["type"] == "figure" for r in records)
    assert str(figures.schema.field("value").type) == "double"


def test_to_arrow_names_a_record_it_cannot_read():
    with pytest.raises(ValueError, match="record 2:"):
        jixiao.to_arrow([{"type": "document", "doc_id": "x"} | jixiao.extract(["corpus/2022_form.txt"])[0], {"type": "nonsense"}])


def test_the_wheel_installs_into_an_empty_environment(tmp_path):
    wheels = glob.glob(str(ROOT / "target/wheels/jixiao-*.whl"))
    assert len(wheels) == 1, f"make python builds one wheel into target/wheels: {wheels}"
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # The venv's own pip is not needed: this pip installs into it, from the file only.
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps",
         "--target", str(next((venv / "lib").glob("python3*")) / "site-packages"), wheels[0]],
        check=True,
    )
    script = "import json, jixiao; print(json.dumps(jixiao.extract(['corpus'])))"
    done = subprocess.run([str(venv / "bin" / "python"), "-c", script], cwd=ROOT, capture_output=True, check=True)
    assert json.loads(done.stdout) == cli_records("corpus")
