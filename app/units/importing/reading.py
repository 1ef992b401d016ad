"""Read an uploaded unit-register file (CSV or XLSX bytes) into a header and raw rows.

CSV is read the way Norwegian Excel writes it: semicolon, comma or tab separated; UTF-8 with
or without BOM, UTF-16 ("Unicode text"), or Windows-1252. The header row is the first of the
first rows that names at least two known columns, so title rows above it are skipped.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import chain

from app.errors import PayloadTooLarge, Unprocessable, UnsupportedMediaType
from app.units.importing.columns import known_count

Cell = str | int | float | bool | datetime | date | time | None

MAX_ROWS = 200_000
# Blank rows cost time too (2 million of them compress to a few kilobytes): beyond this many
# the file is refused, with the advice to delete them.
MAX_BLANK_ROWS = 20_000
# XLSX is a zip: its members' sizes are checked before anything is decompressed or parsed.
MAX_XLSX_BYTES = 300 * 1024 * 1024  # all members, uncompressed
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024  # openpyxl holds this member in memory whole
MAX_ZIP_MEMBERS = 1000
MAX_ZIP_RATIO = 100  # uncompressed / compressed, for members over a megabyte
HEADER_SEARCH_ROWS = 10
MIN_KNOWN_HEADERS = 2
DELIMITERS = (";", ",", "\t")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls


@dataclass(frozen=True, slots=True)
class RawRow:
    """One data row as read: the 1-based line (CSV) or row number (XLSX) and its cells."""

    line: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A file's header row, the line it is on, and the non-blank data rows below it."""

    header: tuple[Cell, ...]
    header_line: int
    rows: tuple[RawRow, ...]


def read_table(data: bytes, filename: str = "") -> Table:
    """Read CSV or XLSX bytes into a Table; the format is told by content, never by `filename`.

    Raises Unprocessable (empty, unreadable, no header row), UnsupportedMediaType (legacy .xls,
    binary) or PayloadTooLarge (more than MAX_ROWS rows), with Norwegian messages.
    """
    if not data.strip():
        raise Unprocessable("Filen er tom.")
    if data.startswith(_OLE_MAGIC):
        raise UnsupportedMediaType(
            "Gamle Excel-filer (.xls) støttes ikke. Lagre filen som .xlsx eller CSV."
        )
    if data.startswith(_ZIP_MAGIC):
        _check_zip(data)
        return _table(_xlsx_rows(data))
    return _read_csv(_decode(data))


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:4096]:
        raise UnsupportedMediaType("Filen er verken CSV eller Excel (.xlsx).")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1252 leaves five bytes undefined; latin-1 maps them rather than failing.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _read_csv(text: str) -> Table:
    # Not str.splitlines: that also breaks at U+2028, U+0085 and the like inside cells.
    lines = io.StringIO(text, newline="").readlines()
    skip = 0
    forced: str | None = None
    # Excel honours (and some exports write) a first line "sep=;" naming the delimiter.
    first = lines[0].rstrip("\r\n") if lines else ""
    if first.lower().startswith("sep=") and len(first) == 5:
        forced, skip = first[4], 1
    delimiter = forced or _sniff_delimiter(lines[skip : skip + HEADER_SEARCH_ROWS])
    reader = csv.reader(lines[skip:], delimiter=delimiter)
    try:
        return _table(_csv_rows(reader, skip))
    except csv.Error as exc:
        raise Unprocessable(f"CSV-filen kunne ikke leses: {exc}.") from exc


def _sniff_delimiter(head: list[str]) -> str:
    """Pick the delimiter under which some early row names the most known columns."""
    best, best_score = DELIMITERS[0], (-1, -1)
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(head, delimiter=delimiter))
        except csv.Error:
            continue
        known = max((known_count(row) for row in rows), default=0)
        width = max((len(row) for row in rows), default=0)
        if (known, width) > best_score:
            best, best_score = delimiter, (known, width)
    return best


def _csv_rows(reader: Iterable[list[str]], offset: int) -> Iterator[tuple[int, Sequence[Cell]]]:
    line = offset + 1
    for row in reader:
        yield line, row
        # line_num counts physical lines, so quoted multi-line cells keep line numbers true.
        line = reader.line_num + offset + 1  # type: ignore[attr-defined]


def _check_zip(data: bytes) -> None:
    """Refuse zip bombs from the central directory alone: sizes and ratios as declared
    (reading a member stops at its declared size, and a lie there fails its checksum)."""
    too_large = "Excel-filen pakkes ut til mer enn grensen og leses ikke."
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise Unprocessable("Filen kunne ikke leses som Excel (.xlsx).") from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise Unprocessable("Excel-filen har for mange deler og leses ikke.")
    if sum(m.file_size for m in members) > MAX_XLSX_BYTES:
        raise PayloadTooLarge(too_large)
    for member in members:
        if member.filename.lower().endswith("sharedstrings.xml") and (
            member.file_size > MAX_SHARED_STRINGS_BYTES
        ):
            raise PayloadTooLarge(too_large)
        if member.file_size > 1024 * 1024 and (
            member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1)
        ):
            raise PayloadTooLarge(
                f"Excel-filen er pakket mer enn {MAX_ZIP_RATIO} ganger tettere enn vanlig "
                f"(«{member.filename}») og leses ikke."
            )


def _too_many_blank_rows() -> Unprocessable:
    limit = f"{MAX_BLANK_ROWS:,}".replace(",", " ")
    return Unprocessable(
        f"Filen har mer enn {limit} tomme rader. Slett de tomme radene og prøv igjen."
    )


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, Sequence[Cell]]]:
    """Non-blank rows of the first sheet with their row numbers, read eagerly.

    Eager so that the warning filter below is not left active while the caller runs; the
    read stops a little past MAX_ROWS, enough for the caller to refuse the file.
    """
    from openpyxl import load_workbook  # imported here: CSV-only callers skip its cost

    rows: list[tuple[int, Sequence[Cell]]] = []
    with warnings.catch_warnings():
        # openpyxl warns about harmless things (no default style, unknown extensions).
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # any failure to open means "not a readable workbook"
            raise Unprocessable("Filen kunne ikke leses som Excel (.xlsx).") from exc
        try:
            sheet = workbook.worksheets[0]
            # Exporters often write a wrong sheet size; without it openpyxl reads what is there.
            sheet.reset_dimensions()
            blank = 0
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                if not _is_blank(row):
                    rows.append((number, row))
                    if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                        break
                else:
                    blank += 1
                    if blank > MAX_BLANK_ROWS:
                        raise _too_many_blank_rows()
        finally:
            workbook.close()
    return iter(rows)


def _is_blank(cells: Sequence[Cell]) -> bool:
    try:
        return not "".join(cells).strip()  # type: ignore[arg-type]  # fast path: all text
    except TypeError:
        pass
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _table(rows: Iterator[tuple[int, Sequence[Cell]]]) -> Table:
    """Find the header among the first non-blank rows; everything after it is data."""
    head: list[tuple[int, Sequence[Cell]]] = []
    blank = 0  # CSV only: the XLSX reader counts (and drops) its blank rows itself
    for line, cells in rows:
        if not _is_blank(cells):
            head.append((line, cells))
            if len(head) >= HEADER_SEARCH_ROWS:
                break
        else:
            blank += 1
            if blank > MAX_BLANK_ROWS:
                raise _too_many_blank_rows()
    if not head:
        raise Unprocessable("Filen er tom.")
    # The row naming the most known columns wins, so a title like "Bygg;Status" loses to it.
    scores = [known_count(cells) for _, cells in head]
    best = max(range(len(head)), key=lambda index: (scores[index], -index))
    if scores[best] < MIN_KNOWN_HEADERS:
        raise Unprocessable(
            "Fant ingen overskriftsrad. En av de første radene må ha kolonnenavn som "
            "adresse, bruksenhetsnummer og bydel."
        )
    header_line, header = head[best]
    body: list[RawRow] = []
    for line, cells in chain(head[best + 1 :], rows):
        if _is_blank(cells):
            blank += 1
            if blank > MAX_BLANK_ROWS:
                raise _too_many_blank_rows()
            continue
        if len(body) >= MAX_ROWS:
            limit = f"{MAX_ROWS:,}".replace(",", " ")
            raise PayloadTooLarge(f"Filen har mer enn {limit} rader. Del den opp i flere filer.")
        body.append(RawRow(line, tuple(cells)))
    return Table(tuple(header), header_line, tuple(body))
