"""A trainee's 工号 travels with the name on every attempt and can be read back for a roster."""

from __future__ import annotations

import pytest

from roleplay.core.attempts.identity import employee_id_problem, make_identity, parse_identity


@pytest.mark.parametrize("name, employee_id, stored", [
    ("王小明", "A1024", "王小明 [A1024]"),
    ("王小明", "", "王小明"),
    ("Tom Smith", "e-77.3", "Tom Smith [e-77.3]"),
    ("王小明", "Ａ１０２４", "王小明 [A1024]"),  # full-width input from a Chinese IME
    ("李[雷]", "9", "李(雷) [9]"),  # brackets in a name cannot fake a 工号
])
def test_identity_round_trips_through_the_stored_string(name, employee_id, stored):
    identity = make_identity(name, employee_id)
    assert identity.stored == stored
    assert parse_identity(stored) == identity


def test_a_name_without_a_bracketed_id_is_all_name():
    assert parse_identity("王小明").employee_id == ""
    assert parse_identity("Tom (E77)").name == "Tom (E77)"


@pytest.mark.parametrize("text, problem", [
    ("A 1024", "bad_chars"), ("工号1", "bad_chars"), ("[A1]", "bad_chars"), ("-A1", "bad_chars"),
    ("A" * 33, "too_long"), ("", None), ("  A1024 ", None),
])
def test_bad_employee_ids_are_named(text, problem):
    assert employee_id_problem(text) == problem
    if problem:
        with pytest.raises(ValueError):
            make_identity("王小明", text)
