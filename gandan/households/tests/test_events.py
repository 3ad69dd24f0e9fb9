"""The households app's event kinds: declared with their wording, never written as free strings."""

from __future__ import annotations

import re
from pathlib import Path

from gandan.core.events import is_declared, label_of
from gandan.households.events import HouseholdEvent
from gandan.households.models import RequestStatus, ReviewStatus

APP = Path(__file__).resolve().parent.parent


def test_every_kind_is_declared_with_its_vietnamese_wording():
    for kind in HouseholdEvent:
        assert is_declared(kind.value)
        assert label_of(kind.value) == kind.label != kind.value


def test_each_review_step_and_each_settled_request_has_its_kind():
    steps = [HouseholdEvent.review_step(s) for s in ReviewStatus.values if s != "listing"]
    assert len(steps) == 4
    settled = [RequestStatus.DECIDED, RequestStatus.REFUSED]
    assert [HouseholdEvent.request_settled(s).label for s in settled] == [
        "Quyết định theo kết quả rà soát",
        "Trả lời không công nhận",
    ]


def test_no_module_of_the_app_writes_an_event_with_a_free_string():
    free = re.compile(r"event_record\([^)]*kind=f?[\"']", re.S)
    offenders = [
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if "tests" not in path.parts and free.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
