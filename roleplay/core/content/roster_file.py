"""Roster files (CSV or XLSX: 工号, 姓名, 部门/班级, optional email) read into entries, every bad cell located."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from roleplay.core.content.problems import ContentError, Problem

MAX_BYTES = 5_000_000  # a roster of tens of thousands of people fits; a mistaken dump does not
MAX_ROWS = 20_000
MAX_ID_CHARS = 40
MAX_NAME_CHARS = 40  # the same bound as a trainee name typed at the start screen
MAX_DEPT_CHARS = 200

# Header spellings, compared after NFKC, trimming and lower-casing (Chinese and English, as departments write them).
HEADERS = {
    "employee_id": ("工号", "员工号", "员工工号", "员工编号", "职工号", "编号", "employee id", "employee_id",
                    "employee no", "staff id", "staff no", "id"),
    "name": ("姓名", "名字", "学员", "学员姓名", "员工姓名", "name", "full name", "trainee"),
    "department": ("部门", "班级", "部门/班级", "所属部门", "机构", "网点", "支行", "department", "dept", "class",
                   "team", "branch", "group"),
    "email": ("邮箱", "电子邮箱", "电子邮件", "邮件", "email", "e-mail", "mail"),
}
_REQUIRED = ("employee_id", "name")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class RosterEntry:
    """One expected trainee: 工号, name, department or class, email."""

    employee_id: str
    name: str
    department: str | None = None
    email: str | None = None


def normalise_id(value: str) -> str:
    """A 工号 as typed or read: NFKC (full-width Ａ１２３ is A123), trimmed, upper case."""
    return unicodedata.normalize("NFKC", value or "").strip().upper()


def normalise_name(value: str) -> str:
    """A name as typed or read: NFKC (full-width letters are the same person), inner spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", value or "").split())


def read_roster(path: str | Path) -> list[RosterEntry]:
    """Every entry of a roster file. Raises ContentError with `path:row:col: …` for every bad cell, so a
    file with any problem imports nothing."""
    path = Path(path)
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(shown, 1, 1, f"cannot read the roster: {exc.strerror}")]) from None
    if len(raw) > MAX_BYTES:
        raise ContentError([Problem(shown, 1, 1, f"file is {len(raw):,} bytes; a roster may have at most "
                                                 f"{MAX_BYTES:,}: split it")])
    if not raw.strip():
        raise ContentError([Problem(shown, 1, 1, "the roster is empty: expected a header row (工号, 姓名, 部门) "
                                                 "and one row per trainee")])
    if raw[:4] == b"PK\x03\x04":
        rows = _xlsx_rows(path, shown)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        raise ContentError([Problem(shown, 1, 1, "not an XLSX workbook (the file is not a zip): save it from "
                                                 "Excel as .xlsx, or export it as CSV")])
    else:
        rows = _csv_rows(raw, shown)
    return _entries(rows, shown)


def _csv_rows(raw: bytes, shown: str) -> list[tuple[int, list[str]]]:
    if b"\x00" in raw:
        raise ContentError([Problem(shown, 1, 1, "binary data (a NUL byte): expected a CSV text file or an XLSX "
                                                 "workbook")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # Excel on a Chinese Windows saves "CSV" in GBK; GB18030 reads every GBK file
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise ContentError([Problem(shown, 1, 1, "neither UTF-8 nor GBK text: save the roster as "
                                                     "CSV UTF-8 or as an XLSX workbook")]) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t，")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = []
    try:
        start = 1
        for record in reader:
            rows.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ContentError([Problem(shown, reader.line_num, 1, f"not valid CSV: {exc}")]) from None
    return rows


def _xlsx_rows(path: Path, shown: str) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged zips; all mean "cannot read"
        raise ContentError([Problem(shown, 1, 1, f"not a readable XLSX workbook ({exc})")]) from None
    try:
        sheet = workbook.worksheets[0]
        return [(n, [_cell_text(v) for v in row])
                for n, row in enumerate(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2), 1)]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a 工号 typed into a number cell reads back as 10023.0
    return str(value)


def _entries(rows: list[tuple[int, list[str]]], shown: str) -> list[RosterEntry]:
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise ContentError([Problem(shown, 1, 1, "the roster has no rows")])
    header_line, header = rows[0]
    columns, problems = _columns(header, header_line, shown)
    if problems:
        raise ContentError(problems)
    if len(rows) - 1 > MAX_ROWS:
        raise ContentError([Problem(shown, rows[MAX_ROWS + 1][0], 1, f"more than {MAX_ROWS:,} trainees: split "
                                                                      "the roster")])
    entries: list[RosterEntry] = []
    seen: dict[str, int] = {}  # 工号 -> the row it first appeared on
    for line, cells in rows[1:]:
        values = {field: (cells[col].strip() if col < len(cells) else "", col + 1) for field, col in columns.items()}
        entry = _entry(values, line, shown, problems)
        if entry is None:
            continue
        if entry.employee_id in seen:
            col = values["employee_id"][1]
            problems.append(Problem(shown, line, col, f"工号 {entry.employee_id} appears twice (first on row "
                                                      f"{seen[entry.employee_id]}): one row per trainee"))
            continue
        seen[entry.employee_id] = line
        entries.append(entry)
    if problems:
        raise ContentError(problems)
    if not entries:
        raise ContentError([Problem(shown, header_line, 1, "the roster has a header but no trainees")])
    return entries


def _columns(header: list[str], line: int, shown: str) -> tuple[dict[str, int], list[Problem]]:
    spelled = {spelling: field for field, spellings in HEADERS.items() for spelling in spellings}
    columns: dict[str, int] = {}
    problems = []
    for col, cell in enumerate(header):
        field = spelled.get(unicodedata.normalize("NFKC", cell).strip().lower())
        if field is None:
            continue
        if field in columns:
            problems.append(Problem(shown, line, col + 1, f"a second {cell.strip()!r} column (the first is column "
                                                          f"{columns[field] + 1}): keep one"))
        else:
            columns[field] = col
    for field in _REQUIRED:
        if field not in columns:
            names = " or ".join(HEADERS[field][:2] + HEADERS[field][-2:-1])
            problems.append(Problem(shown, line, 1, f"no {names} column in the header row: the roster needs "
                                                    "工号 and 姓名 columns (部门/班级 and 邮箱 are optional)"))
    return columns, problems


def _entry(values: dict[str, tuple[str, int]], line: int, shown: str, problems: list[Problem]) -> RosterEntry | None:
    before = len(problems)
    employee_id, id_col = values["employee_id"]
    employee_id = normalise_id(employee_id)
    name, name_col = values["name"]
    name = normalise_name(name)
    if not employee_id:
        problems.append(Problem(shown, line, id_col, "工号 is empty: every trainee needs one"))
    elif len(employee_id) > MAX_ID_CHARS or any(not ch.isprintable() or ch.isspace() for ch in employee_id):
        problems.append(Problem(shown, line, id_col, f"工号 {employee_id[:20]!r} must be 1 to {MAX_ID_CHARS} "
                                                     "letters or digits without spaces"))
    if not name:
        problems.append(Problem(shown, line, name_col, "姓名 is empty"))
    elif len(name) > MAX_NAME_CHARS or any(unicodedata.category(ch).startswith("C") for ch in name):
        problems.append(Problem(shown, line, name_col, f"姓名 must be 1 to {MAX_NAME_CHARS} printable characters"))
    raw_department, dept_col = values.get("department", ("", 0))
    department = normalise_name(raw_department) or None
    if department and (len(department) > MAX_DEPT_CHARS or any(unicodedata.category(ch).startswith("C")
                                                               for ch in department)):
        problems.append(Problem(shown, line, dept_col, f"部门/班级 must be at most {MAX_DEPT_CHARS} printable "
                                                       "characters"))
    raw_email, mail_col = values.get("email", ("", 0))
    email = unicodedata.normalize("NFKC", raw_email).strip() or None
    if email and (len(email) > 200 or not _EMAIL.match(email)):
        problems.append(Problem(shown, line, mail_col, f"{email[:40]!r} is not an email address (name@example.com); "
                                                       "leave the cell empty if there is none"))
    if len(problems) > before:
        return None
    return RosterEntry(employee_id, name, department, email)
