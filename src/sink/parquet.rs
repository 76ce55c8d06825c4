//! Parquet sink: a folder with one Parquet file per record type
//! (documents.parquet, forms.parquet, figures.parquet, indicators.parquet,
//! line_items.parquet, findings.parquet), typed columns from the flat column
//! model ([`super::tables`]): text as UTF-8 strings, integers as int64, values
//! as float64 with their unit in the next column, flags as booleans, nulls
//! where a record has none. Records are written as they come, a batch of rows
//! at a time, so an archive never sits in memory; each file is written as
//! `NAME.parquet.partial` and renamed when complete, so a glob over the folder
//! never meets half a file.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::{Cell, ColType, Counts, SinkError, TableDef, table_rows, tables};
use crate::record::Record;

/// Rows buffered per table before they become one Arrow batch.
const BATCH_ROWS: usize = 8192;

/// The Arrow schema of one table: every column nullable, as in the records.
pub fn schema(def: &TableDef) -> Arc<Schema> {
    let fields: Vec<Field> = def
        .columns
        .iter()
        .map(|(name, ty)| {
            let data_type = match ty {
                ColType::Text => DataType::Utf8,
                ColType::Int => DataType::Int64,
                ColType::Real => DataType::Float64,
                ColType::Bool => DataType::Boolean,
            };
            Field::new(*name, data_type, true)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// Flat rows of one table (as [`super::flatten`] gives them) as an Arrow batch.
pub fn record_batch(def: &TableDef, rows: &[Vec<Cell>]) -> Result<RecordBatch, SinkError> {
    let columns: Vec<ArrayRef> = def
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, ty))| column_array(*ty, rows.iter().map(|row| &row[i])))
        .collect();
    RecordBatch::try_new(schema(def), columns).map_err(|e| SinkError::Arrow(e.to_string()))
}

fn column_array<'c>(ty: ColType, cells: impl Iterator<Item = &'c Cell>) -> ArrayRef {
    match ty {
        ColType::Text => Arc::new(StringArray::from_iter(cells.map(|c| match c {
            Cell::Text(s) => Some(s.as_str()),
            _ => None,
        }))),
        ColType::Int => Arc::new(Int64Array::from_iter(cells.map(|c| match c {
            Cell::Int(i) => Some(*i),
            _ => None,
        }))),
        ColType::Real => Arc::new(Float64Array::from_iter(cells.map(|c| match c {
            Cell::Real(f) => Some(*f),
            Cell::Int(i) => Some(*i as f64),
            _ => None,
        }))),
        ColType::Bool => Arc::new(BooleanArray::from_iter(cells.map(|c| match c {
            Cell::Bool(b) => Some(*b),
            _ => None,
        }))),
    }
}

/// Every record of `records` as one Arrow batch per table, in [`tables`] order
/// (empty tables included, with their schema).
pub fn record_batches<I: IntoIterator<Item = Record>>(
    records: I,
) -> Result<Vec<(TableDef, RecordBatch)>, SinkError> {
    let (rows, _) = table_rows(records);
    tables()
        .into_iter()
        .zip(rows)
        .map(|(def, rows)| {
            let batch = record_batch(&def, &rows)?;
            Ok((def, batch))
        })
        .collect()
}

/// One table's file being written.
struct TableFile {
    def: TableDef,
    rows: Vec<Vec<Cell>>,
    writer: ArrowWriter<File>,
    partial: PathBuf,
    path: PathBuf,
}

impl TableFile {
    fn flush_rows(&mut self) -> Result<(), SinkError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let batch = record_batch(&self.def, &self.rows)?;
        self.rows.clear();
        self.writer
            .write(&batch)
            .map_err(|e| SinkError::Parquet(format!("{}: {e}", self.path.display())))
    }
}

/// Writes records into a folder of Parquet files as they come.
pub struct ParquetWriter {
    files: Vec<TableFile>,
    counts: Counts,
}

impl ParquetWriter {
    pub fn create(dir: &Path) -> Result<ParquetWriter, SinkError> {
        std::fs::create_dir_all(dir).map_err(|e| SinkError::io(dir, e))?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let files = tables()
            .into_iter()
            .map(|def| {
                let path = dir.join(format!("{}.parquet", def.name));
                let partial = dir.join(format!("{}.parquet.partial", def.name));
                let file = File::create(&partial).map_err(|e| SinkError::io(&partial, e))?;
                let writer = ArrowWriter::try_new(file, schema(&def), Some(properties.clone()))
                    .map_err(|e| SinkError::Parquet(format!("{}: {e}", path.display())))?;
                Ok(TableFile {
                    def,
                    rows: Vec::new(),
                    writer,
                    partial,
                    path,
                })
            })
            .collect::<Result<_, SinkError>>()?;
        Ok(ParquetWriter {
            files,
            counts: Counts::new(),
        })
    }

    /// Appends records, normally one document's (a line item takes its
    /// department and year from its document among the same records).
    pub fn write<I: IntoIterator<Item = Record>>(&mut self, records: I) -> Result<(), SinkError> {
        let (rows, counts) = table_rows(records);
        for (file, rows) in self.files.iter_mut().zip(rows) {
            file.rows.extend(rows);
            if file.rows.len() >= BATCH_ROWS {
                file.flush_rows()?;
            }
        }
        for (name, n) in counts {
            *self.counts.entry(name).or_default() += n;
        }
        Ok(())
    }

    /// Writes what is buffered, closes every file and moves it into place.
    pub fn finish(self) -> Result<Counts, SinkError> {
        for mut file in self.files {
            file.flush_rows()?;
            file.writer
                .close()
                .map_err(|e| SinkError::Parquet(format!("{}: {e}", file.path.display())))?;
            std::fs::rename(&file.partial, &file.path).map_err(|e| SinkError::io(&file.path, e))?;
        }
        Ok(self.counts)
    }
}

/// Writes `records` into the folder `dir`.
pub fn write_dir<I: IntoIterator<Item = Record>>(
    records: I,
    dir: &Path,
) -> Result<Counts, SinkError> {
    let mut writer = ParquetWriter::create(dir)?;
    writer.write(records)?;
    writer.finish()
}
