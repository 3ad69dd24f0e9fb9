"""The events of citizen reports and of the follow-up of meetings, with their wording."""

from __future__ import annotations

from gandan.core.events import EventKinds


class ReportEvent(EventKinds):
    RECEIVED = "report.received", "Tiếp nhận phản ánh"
    TRANSFERRED = "report.transferred", "Chuyển đơn vị xử lý"
    STATUS = "report.status", "Cập nhật tình trạng"
    ANSWERED = "report.answered", "Trả lời"
    RATED = "report.rated", "Người phản ánh đánh giá"
    REOPENED = "report.reopened", "Người phản ánh chưa hài lòng, mở lại phản ánh"
    MERGED = "report.merged", "Gộp vào phản ánh khác"
    MODERATED = "report.moderated", "Kiểm duyệt"
    ESCALATED = "report.escalated", "Quá hạn, báo lên cấp trên"


# The steps of a report the public timeline shows (never who did it, nor internal notes).
PUBLIC_REPORT_EVENTS = (
    ReportEvent.RECEIVED,
    ReportEvent.STATUS,
    ReportEvent.TRANSFERRED,
    ReportEvent.ANSWERED,
    ReportEvent.REOPENED,
)


class FollowupEvent(EventKinds):
    MEETING_RECORDED = "meeting.recorded", "Ghi nhận hội nghị"
    OPINION_ADDED = "opinion.added", "Ghi nhận ý kiến"
    TASK_ASSIGNED = "task.assigned", "Giao nhiệm vụ"
    TASK_PROGRESS = "task.progress", "Cập nhật tiến độ nhiệm vụ"
    TASK_ANSWERED = "task.answered", "Trả lời nhiệm vụ"
    TASK_ACCEPTED = "task.accepted", "Đại biểu đồng ý với câu trả lời"
    TASK_REJECTED = "task.rejected", "Đại biểu chưa đồng ý với câu trả lời"
