"""A sheet names the trainee and the 工号 on their own lines, whether the 工号 came from a roster or was typed."""

from types import SimpleNamespace

from roleplay.core.reports.model import TraineeReport, employee_id


def test_the_typed_employee_id_is_read_from_the_stored_name_and_the_roster_wins():
    assert employee_id(SimpleNamespace(employee_id=None, trainee="王小明 [A1024]")) == "A1024"
    assert employee_id(SimpleNamespace(employee_id="R-7", trainee="王小明 [A1024]")) == "R-7"
    assert employee_id(SimpleNamespace(employee_id=None, trainee="王小明")) == ""


def test_the_heading_shows_the_name_alone_when_the_id_has_its_own_line():
    def report(trainee: str, staff: str) -> TraineeReport:
        return TraineeReport(trainee, None, None, [], {}, {}, "", staff)

    assert report("王小明 [A1024]", "A1024").name == "王小明"
    assert report("王小明 [A1024]", "R-7").name == "王小明 [A1024]"  # a different id: keep what was stored
    assert report("Alex", "").name == "Alex"
