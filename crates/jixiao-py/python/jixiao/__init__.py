"""jixiao (绩效): Chinese government budget-performance reports → auditable records.

The same pipeline as the ``jixiao`` command line, for Python and for engines
that pass file contents around (Ray, Spark)::

    import jixiao
    records = jixiao.extract(["corpus"])            # dicts, as the CLI's JSON Lines
    records = jixiao.extract_bytes("a.pdf", data)    # one document handed over as bytes
    tables = jixiao.to_arrow(records)                # {"figures": pyarrow.Table, ...}

A document that cannot be read is a ``document`` record with ``status``
``"error"``, as in the CLI; arguments that cannot be used (a missing path, a
broken rule folder) raise ``FileNotFoundError`` or ``ValueError`` with the
CLI's messages. The rules used by default are the ones the package was built
with; ``rules=`` names another rule folder. The GIL is released while a call
works, so threads calling jixiao run in parallel.
"""

import json
import os
from pathlib import Path

from . import _jixiao

__version__ = _jixiao.__version__
__all__ = ["extract", "extract_bytes", "to_arrow", "TABLES", "RULES"]

#: The rule folder shipped inside the package (the default ``rules``).
RULES = Path(__file__).with_name("rules")

#: The tables of ``to_arrow`` and of ``--format parquet``, in their order.
TABLES = ("documents", "forms", "figures", "indicators", "line_items", "findings")


def _rules_dir(rules):
    return os.fspath(RULES if rules is None else rules)


def extract(paths, rules=None, jobs=None):
    """Records of every .txt and .pdf report under ``paths`` (files or folders,
    searched recursively), sorted by path then position, on ``jobs`` threads
    (default: all cores). A single path may be given as a string."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    lines = _jixiao.extract([os.fspath(p) for p in paths], _rules_dir(rules), jobs)
    return [json.loads(line) for line in lines]


def extract_bytes(name, data, rules=None):
    """Records of one document given as bytes; ``name`` is the path its records
    carry, and its extension (.pdf or else text) gives the format."""
    return [json.loads(line) for line in _jixiao.extract_bytes(os.fspath(name), data, _rules_dir(rules))]


def to_arrow(records):
    """Records (dicts, as ``extract`` gives them) as one ``pyarrow.Table`` per
    record type, keyed by table name, with the schema of ``--format parquet``."""
    import pyarrow as pa

    streams = _jixiao.arrow_streams([json.dumps(r, ensure_ascii=False) for r in records])
    return {name: pa.ipc.open_stream(data).read_all() for name, data in streams}
