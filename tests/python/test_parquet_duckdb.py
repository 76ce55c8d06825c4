"""`jixiao extract --format parquet` opened by DuckDB, as an analyst would."""

import json

import duckdb

from conftest import ROOT, cli, cli_records

TABLES = {
    "documents": "document",
    "forms": "form",
    "figures": "figure",
    "indicators": "indicator",
    "line_items": "line_item",
    "findings": "finding",
}


def write_parquet(out, *inputs):
    done = cli("extract", "-q", *inputs, "--format", "parquet", "-o", str(out))
    assert done.returncode == 0, done.stderr.decode()
    return duckdb.connect()


def test_row_counts_per_type_equal_the_json_lines(tmp_path):
    db = write_parquet(tmp_path, "corpus")
    records = cli_records("corpus")
    for table, kind in TABLES.items():
        (count,) = db.execute(f"SELECT count(*) FROM '{tmp_path}/{table}.parquet'").fetchall()[0]
        assert count == sum(r["type"] == kind for r in records), table
    # Every file at once, as read_parquet's glob reads a folder.
    (total,) = db.execute(f"SELECT count(*) FROM read_parquet('{tmp_path}/*.parquet', union_by_name=true)").fetchall()[0]
    assert total == len(records)


def test_budget_totals_by_department_and_year_are_the_seeds(tmp_path, monkeypatch):
    write_parquet(tmp_path, "corpus/2022_form.txt", "corpus/2024_report.txt")
    monkeypatch.chdir(tmp_path)
    rows = duckdb.connect().execute(
        "SELECT department, year, sum(value) FROM 'figures.parquet' "
        "WHERE metric='budget.total' GROUP BY ALL ORDER BY year"
    ).fetchall()
    want = []
    for seed in ("2022_form", "2024_report"):
        gold = json.loads((ROOT / f"tests/data/{seed}.gold.json").read_text())
        want.append((gold["document"]["department"], gold["document"]["year"], gold["metrics"]["budget.total"]))
    assert rows == want
    assert want[0][1:] == (2022, 146230900.0)


def test_types_are_typed(tmp_path):
    db = write_parquet(tmp_path, "corpus/2022_form.txt")
    columns = dict(db.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '{tmp_path}/figures.parquet')").fetchall())
    assert columns["value"] == "DOUBLE"
    assert columns["unit"] == "VARCHAR"
    assert columns["page"] == "BIGINT"
    assert columns["from_header"] == "BOOLEAN"
    for table in TABLES:
        names = [c for (c, _) in db.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '{tmp_path}/{table}.parquet')").fetchall()]
        assert names[0] == "doc_id", table
