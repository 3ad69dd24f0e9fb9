"""A meeting with one opinion from commune A, followed up by a provincial agency."""

from __future__ import annotations

import datetime as dt

from gandan.core.testing.personas import Personas, kept_on_personas
from gandan.feedback import services
from gandan.feedback.models import Agency, MeetingKind, Task


@kept_on_personas
def meeting_task(personas: Personas) -> Task:
    """Created once per personas object (the fixture is per test)."""
    agency = Agency.objects.create(code="so_noi_vu_test", name="Sở Nội vụ", unit=personas.province)
    meeting = services.meeting_record(
        kind=MeetingKind.CONFERENCE,
        title="Hội nghị cán bộ chủ chốt",
        held_on=dt.date(2026, 1, 5),
        host_unit=personas.province,
        attendees=500,
    )
    opinion = services.opinion_add(
        meeting=meeting,
        author="Đại biểu Phường Thuận Hóa",
        topic="Biên chế",
        text="Đề nghị bố trí biên chế văn phòng Đảng ủy",
        author_unit=personas.commune_a,
    )
    return services.task_assign(
        lead=agency,
        opinion=opinion,
        assigned_on=dt.date(2026, 1, 10),
        deadline=dt.date(2026, 3, 10),
    )
