#!/usr/bin/env python3
"""Ray Data over an archive of reports: read the files as bytes, extract each
with ``jixiao.extract_bytes`` in ``map_batches``, write one Parquet folder per
record type (the schema of ``jixiao extract --format parquet``).

    python examples/ray_ingest.py corpus --out out/ray             # a local Ray, all cores
    python examples/ray_ingest.py corpus --out out/ray --num-cpus 2
    python examples/ray_ingest.py s3://bucket/reports --out s3://bucket/records --address auto

On a cluster (``--address auto`` on a node of it, or ``ray://HEAD:10001``)
every node needs the jixiao wheel installed (or a ``runtime_env``), and
``--out`` must be storage every node reaches (S3, GCS, HDFS, a shared
mount). Records name their document by its path below the root given,
joined to the root as written, as the CLI does for the same argument.
"""

import argparse
import json
import os
import sys
import time

# No usage report to Ray's servers unless the user asks for one (set it to 1).
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

import pyarrow as pa  # noqa: E402
import ray  # noqa: E402

import jixiao  # noqa: E402

#: Record type (the ``type`` field) of each table.
TYPES = {
    "documents": "document",
    "forms": "form",
    "figures": "figure",
    "indicators": "indicator",
    "line_items": "line_item",
    "findings": "finding",
}


def display_name(path, roots):
    """The path a record carries: below the root it was found under, joined to
    that root as the user wrote it (``corpus/a.txt``, not ``/home/…/corpus/a.txt``)."""
    for given, absolute in roots:
        if path == absolute:
            return given
        if path.startswith(absolute.rstrip("/") + "/"):
            return os.path.join(given, path[len(absolute.rstrip("/")) + 1 :])
    return path


def extract_batch(batch, roots):
    """Files (``bytes``, ``path``) → their records, one JSON text a row, with
    the document's path and the record's place in it for ordering."""
    paths, seqs, types, texts = [], [], [], []
    for data, path in zip(batch.column("bytes").to_pylist(), batch.column("path").to_pylist()):
        name = display_name(path, roots)
        for seq, record in enumerate(jixiao.extract_bytes(name, data)):
            paths.append(name)
            seqs.append(seq)
            types.append(record["type"])
            texts.append(json.dumps(record, ensure_ascii=False))
    return pa.table({"path": paths, "seq": seqs, "type": types, "record": texts})


def one_table(batch, table):
    """Records of one type as rows of its table."""
    wanted = TYPES[table]
    records = [
        json.loads(text)
        for text, kind in zip(batch.column("record").to_pylist(), batch.column("type").to_pylist())
        if kind == wanted
    ]
    return jixiao.to_arrow(records)[table]


def ingest(roots, out, batch_size=4):
    """Runs the pipeline on the Ray that ``ray.init`` connected to; returns
    the rows written per table."""
    files = ray.data.read_binary_files(
        [absolute for _, absolute in roots],
        include_paths=True,
        file_extensions=["txt", "pdf", "TXT", "PDF"],
    )
    # Materialised once: every table is then read from the object store, and
    # a retried task cannot write a document twice.
    records = files.map_batches(
        extract_batch, fn_kwargs={"roots": roots}, batch_format="pyarrow", batch_size=batch_size
    ).materialize()
    written = {}
    for table in TYPES:
        rows = records.map_batches(one_table, fn_kwargs={"table": table}, batch_format="pyarrow")
        rows = rows.materialize()
        written[table] = rows.count()
        if written[table]:
            rows.write_parquet(os.path.join(out, table))
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("roots", nargs="+", help="folders (or files) of .txt and .pdf reports")
    parser.add_argument("--out", required=True, help="folder for one Parquet folder per record type")
    parser.add_argument("--address", help="a running Ray cluster (auto, ray://HEAD:10001); default: start a local Ray")
    parser.add_argument("--num-cpus", type=int, help="CPUs of the local Ray (default: all)")
    parser.add_argument("--batch-size", type=int, default=4, help="files per map_batches call")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.address:
        ray.init(address=args.address)
    else:
        ray.init(num_cpus=args.num_cpus, include_dashboard=False)
    is_uri = lambda p: "://" in p
    roots = [(r, r if is_uri(r) else os.path.abspath(r)) for r in args.roots]
    out = args.out if is_uri(args.out) else os.path.abspath(args.out)
    written = ingest(roots, out, args.batch_size)
    ray.shutdown()
    counts = ", ".join(f"{n} {t}" for t, n in written.items())
    print(f"ray_ingest: {counts} in {time.perf_counter() - started:.2f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
