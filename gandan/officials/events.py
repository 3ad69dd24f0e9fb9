"""The event kinds of the officials registry and the wording a timeline shows for each."""

from __future__ import annotations

from gandan.core.events import EventKinds


class OfficialEvent(EventKinds):
    CREATED = "official.created", "Lập hồ sơ cán bộ, công chức"
    QUALIFICATION_ADDED = "official.qualification_added", "Bổ sung trình độ, bằng cấp"
    POSTING_STARTED = "posting.started", "Nhận chức danh, vị trí công tác"
    POSTING_ENDED = "posting.ended", "Thôi giữ chức danh, vị trí công tác"
    ROTATED = "official.rotated", "Luân chuyển cán bộ"
    EVALUATED = "official.evaluated", "Đánh giá, xếp loại chất lượng"
    RELATIVE_ADDED = "official.relative_added", "Bổ sung quan hệ gia đình"
    AWARD = "official.award", "Khen thưởng"
    DISCIPLINE = "official.discipline", "Kỷ luật"


# The event of each kind of record in the personnel file (``RecordKind``).
RECORD_EVENTS = {"award": OfficialEvent.AWARD, "discipline": OfficialEvent.DISCIPLINE}
