"""Who made an attempt: a trainee's name plus an optional employee id (工号), kept in one stored string.

The store's `attempts.trainee` column holds `名字 [工号]` (or just `名字` when no id was given), so every
existing reader (history, reports, `session show`) shows both, and a roster keyed by 工号 links to attempts
with `parse_identity(...).employee_id` without a schema change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_EMPLOYEE_ID_CHARS = 32
# A 工号 is an opaque code: letters, digits and the separators HR systems use; never spaces or brackets.
EMPLOYEE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,%d}" % (MAX_EMPLOYEE_ID_CHARS - 1))
_STORED = re.compile(r"^(?P<name>.*?) \[(?P<id>%s)\]$" % EMPLOYEE_ID.pattern)


@dataclass(frozen=True)
class TraineeIdentity:
    """A trainee as stored on an attempt: display name and 工号 (empty when the trainee gave none)."""

    name: str
    employee_id: str = ""

    @property
    def stored(self) -> str:
        """The string written to `attempts.trainee`."""
        return f"{self.name} [{self.employee_id}]" if self.employee_id else self.name


def clean_employee_id(text: str) -> str:
    """The 工号 as typed, trimmed and with full-width letters and digits made half-width ('Ａ１０２４' → 'A1024')."""
    import unicodedata

    return unicodedata.normalize("NFKC", text).strip()


def employee_id_problem(text: str) -> str | None:
    """None when `text` is a usable 工号 (or empty); otherwise what is wrong, in plain words (English key)."""
    cleaned = clean_employee_id(text)
    if not cleaned:
        return None
    if len(cleaned) > MAX_EMPLOYEE_ID_CHARS:
        return "too_long"
    if not EMPLOYEE_ID.fullmatch(cleaned):
        return "bad_chars"
    return None


def make_identity(name: str, employee_id: str = "") -> TraineeIdentity:
    """Build an identity; a malformed 工号 raises ValueError (callers check `employee_id_problem` first)."""
    cleaned = clean_employee_id(employee_id)
    if employee_id_problem(cleaned):
        raise ValueError(f"not a usable employee id: {employee_id!r}")
    # Brackets inside the name would make the stored form ambiguous; they carry no meaning in a name.
    name = " ".join(name.replace("[", "(").replace("]", ")").split())
    return TraineeIdentity(name, cleaned)


def parse_identity(stored: str) -> TraineeIdentity:
    """Split a stored trainee string back into name and 工号 (no 工号: the whole string is the name)."""
    match = _STORED.match(stored)
    if match is None:
        return TraineeIdentity(stored, "")
    return TraineeIdentity(match.group("name"), match.group("id"))
