#!/usr/bin/env python3
"""Loads every CSV file of an output folder in pandas, DuckDB, R readr and LibreOffice,
each with its default settings, and compares every cell with what Python's csv module
reads, by the column's type in codebook.csv:

- text, code, id: the same text, or a number that prints as that text (`division_code`
  320100 read as 320100.0, `item` 20.1 as 20.1, a spreadsheet's cell `0` of `raw` as 0):
  all-digit values are numbers to every sniffer, quoted or not, and a spreadsheet types
  each cell on its own; such reads are listed as lossless reads as numbers;
- integer, decimal: the same number; blank is missing (NaN, NULL, NA or an empty cell);
- date: the same day; boolean: the same truth value.

Usage: load-check.py OUT_DIR [--known TOOL:FILE:COLUMN ...] [TOOL ...]
(tools: pandas duckdb readr libreoffice parquet; FILE may be *; parquet reads the
NAME.parquet written beside each NAME.csv with DuckDB, and checks its column types). Prints one line per tool and
file; a tool that is not installed is SKIPPED; cells of a --known column that differ are
reported as KNOWN, not failures. Exits 1 if any other cell differs.
"""

import csv
import datetime
import decimal
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

TOOLS = ["pandas", "duckdb", "readr", "libreoffice", "parquet"]


def truth(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def types(out_dir):
    header, rows = truth(os.path.join(out_dir, "codebook.csv"))
    at = {name: i for i, name in enumerate(header)}
    kinds = {}
    for r in rows:
        kinds.setdefault(r[at["file"]], {})[r[at["column"]]] = r[at["type"]]
    kinds["wide_stata.csv"] = {
        r[at["stata_name"]]: r[at["type"]] for r in rows if r[at["file"]] == "wide.csv"
    }
    return kinds


def is_missing(v):
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    try:
        import pandas

        if v is pandas.NA or v is pandas.NaT:
            return True
    except ImportError:
        pass
    return False


def number_text(v):
    """A number as the shortest text that gives it back: 320100.0 → 320100, 20.1 → 20.1."""
    d = decimal.Decimal(repr(v) if isinstance(v, float) else str(v))
    if d == d.to_integral_value():
        return str(d.to_integral_value())
    return str(d.normalize())


def same(kind, expected, got):
    """Whether a tool's value `got` is the cell `expected` (text as Python's csv reads it)."""
    if expected == "":
        return is_missing(got) or got == ""
    if is_missing(got):
        return False
    if kind in ("text", "code", "id"):
        if isinstance(got, str):
            return got == expected
        return not isinstance(got, bool) and number_text(got) == expected
    if kind in ("integer", "decimal"):
        if isinstance(got, bool) or isinstance(got, str):
            return False
        try:
            if isinstance(got, float):
                return got == float(expected)
            return decimal.Decimal(str(got)) == decimal.Decimal(expected)
        except decimal.InvalidOperation:
            return False
    if kind == "date":
        if isinstance(got, (datetime.date, datetime.datetime)):
            return got.strftime("%Y-%m-%d") == expected
        if hasattr(got, "strftime"):  # pandas Timestamp
            return got.strftime("%Y-%m-%d") == expected
        return isinstance(got, str) and got == expected
    if kind == "boolean":
        if isinstance(got, str):
            return got.lower() == expected
        return bool(got) == (expected == "true")
    raise ValueError(f"unknown type {kind}")


def compare(tool, name, kinds, header, rows, got_header, got_rows, known=()):
    """Problems found, as text lines (one per column); columns in `known` are printed as
    KNOWN and not returned."""
    problems, notes = [], []
    if list(got_header) != header:
        return [f"{tool} {name}: header {list(got_header)[:5]}… differs"]
    if len(got_rows) != len(rows):
        return [f"{tool} {name}: {len(got_rows)} rows, expected {len(rows)}"]
    for j, column in enumerate(header):
        kind = kinds.get(column)
        if kind is None:
            problems.append(f"{tool} {name}: column {column} not in the codebook")
            continue
        numeric = sum(
            1
            for i in range(len(rows))
            if kind in ("text", "code", "id")
            and rows[i][j] != ""
            and not isinstance(got_rows[i][j], str)
            and not is_missing(got_rows[i][j])
        )
        if numeric:
            notes.append(f"{column} as numbers ({numeric})")
        wrong = [
            (i, rows[i][j], got_rows[i][j])
            for i in range(len(rows))
            if not same(kind, rows[i][j], got_rows[i][j])
        ]
        if wrong and any(
            k == (tool, f, column) for k in known for f in (name, "*") if k[1] == f
        ):
            i, e, g = wrong[0]
            print(
                f"KNOWN {tool} {name}: {len(wrong)} cells of {column} ({kind}) differ, "
                f"e.g. row {i + 2}: {e!r} read as {g!r}"
            )
        elif wrong:
            i, e, g = wrong[0]
            problems.append(
                f"{tool} {name}: {len(wrong)} cells of {column} ({kind}) differ, "
                f"e.g. row {i + 2}: {e!r} read as {g!r}"
            )
    if notes and not problems:
        print(f"note {tool} {name}: codes read losslessly as numbers: {', '.join(notes)}")
    return problems


def load_pandas(path):
    import pandas

    df = pandas.read_csv(path)
    return list(df.columns), df.astype(object).values.tolist()


def load_parquet(path):
    """NAME.parquet beside NAME.csv, read by DuckDB: its typed values."""
    import duckdb

    parquet = path[: -len(".csv")] + ".parquet"
    if not os.path.exists(parquet):
        raise ValueError(f"{os.path.basename(parquet)} was not written")
    rel = duckdb.sql(f"SELECT * FROM read_parquet('{parquet}')")
    types = {c: str(t) for c, t in zip(rel.columns, rel.types)}
    rows = [list(r) for r in rel.fetchall()]
    return rel.columns, rows, types


def load_duckdb(path):
    import duckdb

    rel = duckdb.sql(f"SELECT * FROM read_csv_auto('{path}')")
    return rel.columns, [list(r) for r in rel.fetchall()]


R_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
df <- suppressWarnings(readr::read_csv(args[1], show_col_types = FALSE, progress = FALSE))
p <- readr::problems(df)
classes <- vapply(df, function(x) class(x)[1], "")
cols <- lapply(df, function(x) {
  if (inherits(x, "Date")) format(x, "%Y-%m-%d")
  else if (is.numeric(x)) format(x, digits = 17, scientific = FALSE, trim = TRUE)
  else x
})
first <- if (nrow(p) > 0) paste(names(df)[p$col[1]], "row", p$row[1], "expected", p$expected[1], "got", p$actual[1]) else ""
out <- list(columns = names(df), classes = unname(classes), rows = nrow(df),
            problems = nrow(p), first_problem = first, data = unname(cols))
cat(jsonlite::toJSON(out, na = "null", auto_unbox = FALSE, digits = NA))
"""


def load_readr(path):
    with tempfile.NamedTemporaryFile("w", suffix=".R", delete=False) as f:
        f.write(R_SCRIPT)
    try:
        done = subprocess.run(
            ["Rscript", f.name, path], capture_output=True, text=True, check=True
        )
    finally:
        os.unlink(f.name)
    out = json.loads(done.stdout)
    columns, classes = out["columns"], out["classes"]
    data = out["data"]
    rows = []
    for i in range(out["rows"][0]):
        row = []
        for j, cls in enumerate(classes):
            v = data[j][i]
            if v is None or v == "NA":
                row.append(None)
            elif cls == "numeric":
                row.append(float(v))
            elif cls == "logical":
                row.append(v)
            else:
                row.append(v)
        rows.append(row)
    if out["problems"][0]:
        raise ValueError(
            "readr reported %d parsing problems, the first: %s"
            % (out["problems"][0], out["first_problem"][0])
        )
    return columns, rows


def load_libreoffice(path):
    import openpyxl

    work = tempfile.mkdtemp()
    try:
        # LibreOffice's CSV import filter with its defaults but UTF-8 (76) and
        # comma-separated, quoted with '"'.
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation=file://{work}/profile",
                "--infilter=CSV:44,34,76,1",
                "--convert-to",
                "xlsx",
                "--outdir",
                work,
                path,
            ],
            capture_output=True,
            check=True,
            timeout=600,
        )
        name = os.path.splitext(os.path.basename(path))[0] + ".xlsx"
        book = openpyxl.load_workbook(os.path.join(work, name), read_only=True)
        sheet = book.active
        # A spreadsheet shows a number in its cell's format: `1,675` read with a
        # thousands format is shown as printed, and that is what its user sees.
        rows = [[shown(c) for c in r] for r in sheet.iter_rows()]
        width = len(rows[0]) if rows else 0
        rows = [r + [None] * (width - len(r)) for r in rows]
        return [str(c) for c in rows[0]], rows[1:]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def shown(cell):
    v = cell.value
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if "#,##0" in (cell.number_format or "") and float(v).is_integer():
            return f"{int(v):,}"
    return v


LOADERS = {
    "parquet": load_parquet,
    "pandas": load_pandas,
    "duckdb": load_duckdb,
    "readr": load_readr,
    "libreoffice": load_libreoffice,
}


PARQUET_TYPES = {
    "text": "VARCHAR",
    "code": "VARCHAR",
    "id": "VARCHAR",
    "integer": "BIGINT",
    "decimal": "DECIMAL",
    "date": "DATE",
    "boolean": "BOOLEAN",
}


def typed_wrongly(kinds, types):
    """Parquet columns whose type is not the codebook's."""
    return [
        f"{c} ({t}, codebook {kinds.get(c)})"
        for c, t in types.items()
        if not t.startswith(PARQUET_TYPES.get(kinds.get(c), "?"))
    ]


def installed(tool):
    """Why a tool cannot run here, or None."""
    modules = {
        "pandas": ["pandas"],
        "duckdb": ["duckdb"],
        "parquet": ["duckdb"],
        "libreoffice": ["openpyxl"],
    }
    for module in modules.get(tool, []):
        try:
            __import__(module)
        except ImportError:
            return f"Python module {module} not installed"
    command = {"readr": "Rscript", "libreoffice": "soffice"}.get(tool)
    if command and shutil.which(command) is None:
        return f"{command} not found"
    if tool == "readr":
        done = subprocess.run(
            ["Rscript", "-e", "library(readr); library(jsonlite)"], capture_output=True
        )
        if done.returncode != 0:
            return "R packages readr and jsonlite not installed"
    return None


def main():
    args = sys.argv[1:]
    out_dir = args.pop(0)
    known, tools = [], []
    while args:
        arg = args.pop(0)
        if arg == "--known":
            tool, file, column = args.pop(0).split(":")
            known.append((tool, file, column))
        else:
            tools.append(arg)
    tools = tools or TOOLS
    failed = False
    for tool in list(tools):
        why = installed(tool)
        if why:
            print(f"SKIPPED {tool}: {why}")
            tools.remove(tool)
    kinds = types(out_dir)
    files = sorted(f for f in os.listdir(out_dir) if f.endswith(".csv"))
    for tool in tools:
        for name in files:
            path = os.path.join(out_dir, name)
            header, rows = truth(path)
            try:
                loaded = LOADERS[tool](path)
                got_header, got_rows = loaded[0], loaded[1]
                if tool == "parquet":
                    wrong = typed_wrongly(kinds.get(name, {}), loaded[2])
                    if wrong:
                        raise ValueError("columns not typed by the codebook: " + ", ".join(wrong))
            except Exception as e:  # the tool refused the file: a failure of the file
                print(f"FAIL {tool} {name}: could not load: {e}")
                failed = True
                continue
            problems = compare(
                tool, name, kinds.get(name, {}), header, rows, got_header, got_rows, known
            )
            for p in problems:
                print("FAIL " + p)
            failed |= bool(problems)
            if not problems:
                print(f"ok   {tool} {name}: {len(rows)} rows")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
