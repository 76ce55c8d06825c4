//! Each sink written from the fixture and read back with a real reader.

use std::collections::BTreeMap;

use jixiao::record::Record;
use jixiao::sink::{self, Format, jsonl};

use crate::common;

fn counts(recs: &[Record]) -> BTreeMap<&'static str, usize> {
    let mut c = BTreeMap::new();
    for r in recs {
        *c.entry(r.type_name()).or_default() += 1;
    }
    c
}

#[test]
fn jsonl_round_trips_and_reports_bad_lines() {
    let recs = common::fixture_with_findings();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("out.jsonl");
    sink::write_records(Format::Jsonl, recs.clone(), &p).unwrap();
    let back = jsonl::read_path(&p).unwrap();
    assert_eq!(back, recs);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.lines().all(|l| l.starts_with("{\"type\":")));

    let bad = format!(
        "{}\n\n{{\"type\":\"figure\",\"doc_id\":1}}\n",
        text.lines().next().unwrap()
    );
    let err = jsonl::read_records(bad.as_bytes()).unwrap_err().to_string();
    assert!(err.starts_with("line 3:"), "{err}");
    let err = jsonl::read_records("not json\n".as_bytes())
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("line 1:"), "{err}");
}

#[test]
fn sqlite_row_counts_equal_the_jsonl() {
    let recs = common::fixture_with_findings();
    let want = counts(&recs);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("out.sqlite");
    sink::write_records(Format::Sqlite, recs.clone(), &p).unwrap();
    // Written twice: the second run replaces, not appends.
    sink::write_records(Format::Sqlite, recs, &p).unwrap();
    let conn = rusqlite::Connection::open(&p).unwrap();
    for (ty, table) in [
        ("document", "documents"),
        ("form", "forms"),
        ("figure", "figures"),
        ("indicator", "indicators"),
        ("line_item", "line_items"),
        ("finding", "findings"),
    ] {
        let n: i64 = conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(n as usize, want.get(ty).copied().unwrap_or(0), "{table}");
    }
    // Typed columns and the (department, metric, year) index in use.
    let v: f64 = conn
        .query_row(
            "SELECT value FROM figures WHERE department = ?1 AND metric = 'budget.total' AND year = 2024",
            ["衡阳市自然资源和规划局"],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(v, 141992500.0);
    let plan: String = conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT value FROM figures WHERE department = 'x' AND metric = 'y' AND year = 1",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("figures_dep_metric_year"), "{plan}");
    let sum: f64 = conn
        .query_row(
            "SELECT SUM(value) FROM line_items WHERE \"group\" = 'expense.project.business' AND year = 2024",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(sum, 41829500.0);
    let failing: i64 = conn
        .query_row("SELECT COUNT(*) FROM findings WHERE holds = 0", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(failing, 1);
    let ty: String = conn
        .query_row("SELECT typeof(page) FROM figures LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ty, "integer");
}

#[test]
fn xlsx_has_one_sheet_per_record_type() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let recs = common::fixture_with_findings();
    let want = counts(&recs);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("out.xlsx");
    sink::write_records(Format::Xlsx, recs, &p).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&p).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "documents",
            "forms",
            "figures",
            "indicators",
            "line_items",
            "findings"
        ]
    );
    for (ty, sheet) in [
        ("document", "documents"),
        ("figure", "figures"),
        ("indicator", "indicators"),
        ("line_item", "line_items"),
        ("finding", "findings"),
    ] {
        let r = wb.worksheet_range(sheet).unwrap();
        assert_eq!(r.height(), want[ty] + 1, "{sheet}");
    }
    let figs = wb.worksheet_range("figures").unwrap();
    let head: Vec<String> = figs
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let vcol = head.iter().position(|h| h == "value").unwrap();
    assert!(matches!(figs.rows().nth(1).unwrap()[vcol], Data::Float(_)));
    let li = wb.worksheet_range("line_items").unwrap();
    let li_head: Vec<String> = li
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let department = li_head.iter().position(|h| h == "department").unwrap();
    // department filled from the document
    assert_eq!(
        li.rows().nth(1).unwrap()[department].to_string(),
        "衡阳市自然资源和规划局"
    );
}

#[test]
fn csv_dir_has_one_bom_file_per_record_type() {
    let recs = common::fixture_with_findings();
    let want = counts(&recs);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("csv");
    sink::write_records(Format::Csv, recs, &out).unwrap();
    for (ty, name) in [
        ("document", "documents"),
        ("form", "forms"),
        ("figure", "figures"),
        ("indicator", "indicators"),
        ("line_item", "line_items"),
        ("finding", "findings"),
    ] {
        let bytes = std::fs::read(out.join(format!("{name}.csv"))).unwrap();
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "{name} BOM");
        let mut rd = csv::Reader::from_reader(&bytes[3..]);
        assert_eq!(rd.headers().unwrap().get(0), Some("doc_id"));
        let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), want.get(ty).copied().unwrap_or(0), "{name}");
        if name == "figures" {
            let raw = rd
                .headers()
                .unwrap()
                .iter()
                .position(|h| h == "raw")
                .unwrap();
            assert_eq!(&rows[0][raw], "14623.09 万元");
        }
    }
}

/// Reads a Parquet file back whole with the parquet crate's own Arrow reader.
fn read_parquet(
    path: &std::path::Path,
) -> (arrow_schema::SchemaRef, Vec<arrow_array::RecordBatch>) {
    let file = std::fs::File::open(path).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let schema = arrow_array::RecordBatchReader::schema(&reader);
    (schema, reader.map(|b| b.unwrap()).collect())
}

#[test]
fn parquet_dir_has_one_typed_file_per_record_type() {
    use arrow_array::cast::AsArray;
    use arrow_array::types::Float64Type;
    use arrow_schema::DataType;

    let recs = common::fixture_with_findings();
    let want = counts(&recs);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("parquet");
    sink::write_records(Format::Parquet, recs, &out).unwrap();
    for (ty, name) in [
        ("document", "documents"),
        ("form", "forms"),
        ("figure", "figures"),
        ("indicator", "indicators"),
        ("line_item", "line_items"),
        ("finding", "findings"),
    ] {
        let (schema, batches) = read_parquet(&out.join(format!("{name}.parquet")));
        let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
        assert_eq!(rows, want.get(ty).copied().unwrap_or(0), "{name}");
        assert_eq!(schema.field(0).name(), "doc_id", "{name}");
        if name == "figures" {
            let column = |n: &str| batches[0].column(schema.index_of(n).unwrap()).clone();
            assert_eq!(column("value").data_type(), &DataType::Float64);
            assert_eq!(column("page").data_type(), &DataType::Int64);
            assert_eq!(column("from_header").data_type(), &DataType::Boolean);
            let value = schema.index_of("value").unwrap();
            assert_eq!(
                schema.field(value + 1).name(),
                "unit",
                "the unit beside the value"
            );
            assert_eq!(
                column("value").as_primitive::<Float64Type>().value(0),
                146230900.0
            );
            assert_eq!(column("unit").as_string::<i32>().value(0), "CNY");
        }
        if name == "line_items" {
            // Filled from their document, as in the other table sinks.
            let department = batches[0].column(schema.index_of("department").unwrap());
            assert_eq!(department.null_count(), 0);
        }
    }
    let left: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
    assert_eq!(left.len(), 6, "no .partial file is left");
}

#[test]
fn extract_writes_parquet_with_the_row_counts_of_its_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("records");
    let run = common::jixiao(
        &[
            "extract",
            "-q",
            "corpus",
            "--format",
            "parquet",
            "-o",
            out.to_str().unwrap(),
        ],
        &common::root(),
    );
    let jsonl = common::jixiao(&["extract", "-q", "corpus"], &common::root());
    // The same exit as the JSON Lines run, which reads every document (or,
    // without the OCR models, all but the scanned form).
    let test = "extract_writes_parquet_with_the_row_counts_of_its_json_lines";
    assert!(common::corpus_run_went_right(&jsonl, test));
    assert_eq!(
        run.status.code(),
        jsonl.status.code(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let want = counts(&jsonl::read_records(&jsonl.stdout[..]).unwrap());
    for (ty, name) in [
        ("document", "documents"),
        ("figure", "figures"),
        ("line_item", "line_items"),
    ] {
        let rows: usize = read_parquet(&out.join(format!("{name}.parquet")))
            .1
            .iter()
            .map(|b| b.num_rows())
            .sum();
        assert_eq!(rows, want[ty], "{name}");
    }
}
