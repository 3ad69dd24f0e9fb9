"""The one-stop desk's event kinds: what happened to a dossier, as the staff timeline says it.

Services write them through :func:`dossier_event`; the stored value is the kind, the label is
the wording of the dossier's timeline (``Event.label``). The public look-up words some of them
for the applicant (``selectors.PUBLIC_EVENTS``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gandan.core.events import EventKinds


class OnestopEvent(EventKinds):
    REGISTERED = "onestop.registered", "Đã nộp hồ sơ trực tuyến"
    RECEIVED = "onestop.received", "Tiếp nhận hồ sơ"
    REFUSED = "onestop.refused", "Hồ sơ không được tiếp nhận"
    FORWARDED = "onestop.forwarded", "Chuyển bước xử lý"
    TRANSFERRED = "onestop.transferred", "Chuyển cơ quan khác (liên thông)"
    SENT_BACK = "onestop.sent_back", "Chuyển lại bước trước"
    ASSIGNED = "onestop.assigned", "Giao người xử lý"
    SUPPLEMENT_REQUESTED = "onestop.supplement_requested", "Yêu cầu bổ sung hồ sơ"
    RESUMED = "onestop.resumed", "Đã nhận hồ sơ bổ sung, tiếp tục xử lý"
    PAYMENT_REQUESTED = "onestop.payment_requested", "Chờ nộp phí, nghĩa vụ tài chính"
    PAID = "onestop.paid", "Đã nộp phí, nghĩa vụ tài chính"
    FINISHED = "onestop.finished", "Đã có kết quả, chờ trả"
    RETURNED = "onestop.returned", "Đã trả kết quả"
    STOPPED = "onestop.stopped", "Dừng xử lý hồ sơ"
    WITHDRAWN = "onestop.withdrawn", "Công dân rút hồ sơ"
    COMPLAINT = "onestop.complaint", "Ghi nhận phản ánh, kiến nghị"
    APOLOGY_DRAFTED = "onestop.apology_drafted", "Dự thảo thư xin lỗi, hẹn lại"
    APOLOGY_APPROVED = "onestop.apology_approved", "Lãnh đạo duyệt thư xin lỗi"
    APOLOGY_SENT = "onestop.apology_sent", "Gửi thư xin lỗi, hẹn lại"
    RATED = "onestop.rated", "Công dân đánh giá"


def dossier_event(
    dossier: Any, kind: OnestopEvent, actor: Any, at: dt.datetime, **data: Any
) -> None:
    """Record ``kind`` on ``dossier`` with its status and step at the time, in the caller's
    transaction."""
    from gandan.core.services import event_record

    event_record(
        kind=kind,
        subject=dossier,
        actor=actor,
        data={"status": dossier.status, "step": dossier.step_order, **data},
        occurred_at=at,
    )
