"""Assessment codes as room keys: an open session's code lets a browser in and joins it to that session."""

from __future__ import annotations

from collections.abc import Callable

from roleplay.core.attempts.assessment import CODE_PATTERN, AssessmentSession


def session_code_checker(db_url: str | None) -> Callable[[str], str | None]:
    """A function: typed code -> the session's code when it exists and its deadline has not passed, else None."""

    def check(typed: str) -> str | None:
        from roleplay.core.store import StoreError, open_store

        code = typed.strip().upper()
        if not CODE_PATTERN.match(code):
            return None
        try:
            with open_store(db_url) as store:
                row = store.get_session(code)
        except StoreError:
            return None
        if row is None or AssessmentSession.from_row(row).past_deadline():
            return None
        return row.code

    return check
