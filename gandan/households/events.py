"""The event kinds the households app writes, with the wording its timelines show."""

from __future__ import annotations

from gandan.core.events import EventKinds


class HouseholdEvent(EventKinds):
    FORMED = "household.formed", "Lập hộ"
    MOVED = "household.moved", "Chuyển nơi cư trú"
    DISSOLVED = "household.dissolved", "Xóa hộ"
    SPLIT = "household.split", "Tách hộ"
    MEMBER_ADDED = "household.member_added", "Thêm thành viên"
    ASSESSED = "household.assessed", "Ghi kết quả rà soát"
    ASSESSMENT_CORRECTED = "household.assessment_corrected", "Đính chính kết quả rà soát"
    CARRIED_OVER = "households.carried_over", "Chuyển theo sắp xếp đơn vị hành chính"
    IMPORTED = "households.imported", "Nhập dữ liệu hộ gia đình từ tệp"
    REVIEW_OPENED = "review.opened", "Mở đợt rà soát, lập danh sách hộ"
    REVIEW_REQUEST_ADDED = "review.request_added", "Bổ sung hộ có giấy đề nghị (Mẫu 01)"
    REVIEW_SURVEYING = "review.surveying", "Bắt đầu khảo sát, chấm điểm"
    REVIEW_SURVEYS_RECORDED = "review.surveys_recorded", "Nhập phiếu khảo sát"
    REVIEW_MEETINGS = "review.meetings", "Bắt đầu họp thôn, tổ dân phố"
    REVIEW_MEETING_ADOPTED = "review.meeting_adopted", "Họp thôn thông qua kết quả"
    REVIEW_MEETING_SENT_BACK = (
        "review.meeting_sent_back",
        "Họp thôn chưa thông qua: khảo sát lại và họp lại",
    )
    REVIEW_POSTING = "review.posting", "Niêm yết công khai"
    REVIEW_DECIDED = "review.decided", "Quyết định công nhận, khóa số liệu"
    REQUEST_RECEIVED = "review_request.received", "Nhận giấy đề nghị (Mẫu 04)"
    REQUEST_DECIDED = "review_request.decided", "Quyết định theo kết quả rà soát"
    REQUEST_REFUSED = "review_request.refused", "Trả lời không công nhận"

    @classmethod
    def review_step(cls, status: str) -> HouseholdEvent:
        """The event of a review reaching step ``status``."""
        return cls(f"review.{status}")

    @classmethod
    def request_settled(cls, status: str) -> HouseholdEvent:
        """The event of a request decided (``decided``) or answered with a refusal."""
        return cls(f"review_request.{status}")
