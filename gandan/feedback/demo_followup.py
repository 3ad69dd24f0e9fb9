"""Demo stage: the conference of the seed article and the follow-up of its 13 opinions.

The article (published Wednesday 1 Jan 2025) reports a conference of the provincial Party
committee's standing board with more than 500 key commune officials and 13 opinions from
delegates, which the chair promised provincial agencies would resolve. The date of the
conference is not given; the demo holds it on 31 Dec 2024. The opinions are written afresh
on the topics the article lists, and their tasks stand at different stages today.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tqdm import tqdm

from gandan.core.demo import PROVINCE_CODE, DemoContext, Stage
from gandan.feedback import services
from gandan.feedback.models import Agency, Meeting, MeetingKind
from gandan.geo.models import Level, Unit

HELD_ON = dt.date(2024, 12, 31)
AGENCIES = [
    ("so_nong_nghiep", "Sở Nông nghiệp và Môi trường"),
    ("cong_an_tinh", "Công an thành phố Huế"),
    ("so_noi_vu", "Sở Nội vụ"),
    ("ban_to_chuc", "Ban Tổ chức Thành ủy"),
    ("ubmttq", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Huế"),
    ("so_tai_chinh", "Sở Tài chính"),
    ("so_xay_dung", "Sở Xây dựng"),
    ("so_khcn", "Sở Khoa học và Công nghệ"),
]
# (topic, text, lead agency, days to answer, stage) — stage: answered, late_answered, in_progress, late
OPINIONS = [
    (
        "Giao đất, giao rừng cho người dân vùng gò đồi",
        "Đề nghị thành phố đẩy nhanh giao đất, giao rừng cho hộ dân vùng gò đồi chưa có đất sản xuất, để bà con ổn định sinh kế, nâng cao thu nhập.",
        "so_nong_nghiep",
        900,
        "in_progress",
    ),
    (
        "Bố trí công việc cho trưởng công an xã",
        "Khi công an chính quy về đảm nhiệm công an xã, đề nghị có phương án bố trí công việc, chế độ cho các đồng chí trưởng công an xã bán chuyên trách.",
        "cong_an_tinh",
        90,
        "answered",
    ),
    (
        "Chuẩn hóa đội ngũ cán bộ cấp xã",
        "Đề nghị có kế hoạch đào tạo, bồi dưỡng để cán bộ, công chức cấp xã đạt chuẩn về trình độ chuyên môn và lý luận chính trị trước thời hạn.",
        "so_noi_vu",
        120,
        "answered",
    ),
    (
        "Biên chế văn phòng Đảng ủy xã",
        "Đề nghị bố trí biên chế chuyên trách cho văn phòng Đảng ủy xã, hiện nay đang do người hoạt động không chuyên trách kiêm nhiệm.",
        "ban_to_chuc",
        90,
        "late_answered",
    ),
    (
        "Tập huấn cho Ban thanh tra nhân dân",
        "Đề nghị tổ chức tập huấn nghiệp vụ cho thành viên Ban thanh tra nhân dân xã, phường để hoạt động giám sát hiệu quả hơn.",
        "ubmttq",
        60,
        "answered",
    ),
    (
        "Kinh phí hoạt động của thôn, tổ dân phố",
        "Đề nghị nâng mức kinh phí hoạt động cho thôn, tổ dân phố, nhất là các thôn vùng núi, vùng đông dân.",
        "so_tai_chinh",
        90,
        "answered",
    ),
    (
        "Nâng cấp đường giao thông nông thôn",
        "Nhiều tuyến đường liên thôn xuống cấp sau mùa mưa lũ; đề nghị bố trí vốn sửa chữa trong năm.",
        "so_xay_dung",
        180,
        "late",
    ),
    (
        "Ứng dụng công nghệ thông tin ở bộ phận một cửa",
        "Đề nghị trang bị thêm máy móc và đường truyền cho bộ phận một cửa cấp xã để giải quyết hồ sơ trực tuyến.",
        "so_khcn",
        120,
        "answered",
    ),
    (
        "Phụ cấp người hoạt động không chuyên trách",
        "Mức phụ cấp của người hoạt động không chuyên trách ở thôn, tổ dân phố còn thấp so với khối lượng công việc; đề nghị xem xét điều chỉnh.",
        "so_noi_vu",
        120,
        "answered",
    ),
    (
        "Hỗ trợ xã đạt chuẩn nông thôn mới nâng cao",
        "Đề nghị có cơ chế hỗ trợ vốn đối ứng cho các xã phấn đấu đạt chuẩn nông thôn mới nâng cao.",
        "so_nong_nghiep",
        700,
        "in_progress",
    ),
    (
        "Rà soát hộ nghèo, hộ cận nghèo",
        "Đề nghị hướng dẫn thống nhất cách chấm điểm khi rà soát hộ nghèo để tránh chênh lệch giữa các thôn.",
        "so_noi_vu",
        60,
        "answered",
    ),
    (
        "Quy hoạch nghĩa trang nhân dân",
        "Đề nghị sớm phê duyệt quy hoạch nghĩa trang nhân dân tập trung để tránh chôn cất phân tán.",
        "so_xay_dung",
        800,
        "in_progress",
    ),
    (
        "Giám sát của Mặt trận đối với chính quyền cơ sở",
        "Đề nghị có quy chế phối hợp cụ thể để Mặt trận và các đoàn thể giám sát việc thực hiện dân chủ ở cơ sở.",
        "ubmttq",
        90,
        "answered",
    ),
]
ANSWER = "Đã tiếp thu, tham mưu thành phố ban hành văn bản chỉ đạo và triển khai thực hiện; kết quả đã thông báo đến đại biểu."


def _conference(ctx: DemoContext, bar: tqdm[Any]) -> str:
    if Meeting.objects.filter(province_code=PROVINCE_CODE, held_on=HELD_ON).exists():
        return "hội nghị đã có sẵn, bỏ qua"
    legacy = Unit.objects.get(level=Level.PROVINCE, code=PROVINCE_CODE, valid_from__isnull=True)
    current = Unit.objects.get(level=Level.PROVINCE, code=PROVINCE_CODE, valid_from__isnull=False)
    agencies = {
        code: Agency.objects.get_or_create(code=code, defaults={"name": name, "unit": current})[0]
        for code, name in AGENCIES
    }
    meeting = services.meeting_record(
        kind=MeetingKind.CONFERENCE,
        title="Hội nghị Thường trực Tỉnh ủy gặp mặt cán bộ chủ chốt cấp xã",
        held_on=HELD_ON,
        host_unit=legacy,
        attendees=523,
        attendees_by_kind={
            "Bí thư Đảng ủy": 131,
            "Chủ tịch HĐND": 130,
            "Chủ tịch UBND": 131,
            "Chủ tịch UBMTTQ": 131,
        },
        minutes="Chủ tịch UBND tỉnh kết luận: các ý kiến xác đáng, UBND tỉnh sẽ chỉ đạo các cơ quan chuyên môn sớm tháo gỡ.",
    )
    communes = list(
        Unit.objects.filter(
            province_code=PROVINCE_CODE, level=Level.COMMUNE, valid_to__isnull=False
        )
    )
    bar.reset(total=len(OPINIONS))
    assigned_on = HELD_ON + dt.timedelta(days=15)
    for topic, text, lead, days, stage in OPINIONS:
        commune = ctx.rng.choice(communes)
        opinion = services.opinion_add(
            meeting=meeting,
            author=f"Đại biểu {commune.name}",
            author_unit=commune,
            topic=topic,
            text=text,
        )
        task = services.task_assign(
            lead=agencies[lead],
            opinion=opinion,
            assigned_on=assigned_on,
            deadline=assigned_on + dt.timedelta(days=days),
        )
        services.task_progress(
            task=task, note="Đã giao bộ phận chuyên môn nghiên cứu, khảo sát thực tế."
        )
        if stage in ("answered", "late_answered"):
            offset = days + 40 if stage == "late_answered" else days - ctx.rng.randint(5, 30)
            services.task_answer(
                task=task, answer=ANSWER, answered_on=assigned_on + dt.timedelta(days=offset)
            )
            services.task_accept(task=task, accepted=True)
        bar.update(1)
    return f"hội nghị {meeting.attendees} đại biểu, {len(OPINIONS)} ý kiến đã giao {len(agencies)} cơ quan theo dõi"


STAGES = [Stage("Hội nghị cán bộ chủ chốt cấp xã và 13 ý kiến", _conference)]
