"""Demo stage: citizen reports across Huế's 40 communes at Hue-S's published pace.

About 2,000 reports a month for the last 90 days (scaled), placed near each commune's
centre, in categories weighted as city reports usually are; most answered, about one in
seven late, about 90 % of the rated answers satisfying, some still open and a few overdue.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.utils import timezone
from tqdm import tqdm

from gandan.core.demo import PROVINCE_CODE, DemoContext, Stage
from gandan.core.models import Event
from gandan.feedback.events import ReportEvent
from gandan.feedback.models import ANSWERED_STATUSES, CaseType, Category, Channel, Report, Status
from gandan.feedback.services import CODE_ALPHABET, due_at
from gandan.geo.models import REFORM_DATE, Level, Unit

PER_MONTH = 2000
DAYS = 90
WEIGHTS = {
    "roads": 14,
    "lighting": 12,
    "waste": 14,
    "drainage": 8,
    "sidewalk": 9,
    "trees": 6,
    "noise": 5,
    "public_order": 5,
    "construction": 5,
    "environment": 4,
    "water_supply": 4,
    "power": 3,
    "land": 2,
    "food_safety": 2,
    "procedures": 2,
    "officials_conduct": 1,
    "social_welfare": 1,
    "tourism": 1,
    "health": 1,
    "education": 1,
    "other": 2,
}
TEXTS = {
    "roads": (
        "Ổ gà trên đường",
        "Mặt đường bị lún, có ổ gà sâu, xe máy đi qua rất nguy hiểm, nhất là khi trời tối.",
    ),
    "lighting": (
        "Đèn đường không sáng",
        "Cả đoạn đường có mấy cột đèn không sáng nhiều ngày nay, đi lại buổi tối không an toàn.",
    ),
    "waste": (
        "Rác tồn đọng",
        "Rác thải sinh hoạt dồn ứ ở góc đường mấy ngày chưa được thu gom, bốc mùi hôi.",
    ),
    "drainage": (
        "Cống thoát nước bị tắc",
        "Mưa xuống là nước ngập lên mặt đường vì cống bị rác làm tắc.",
    ),
    "sidewalk": (
        "Lấn chiếm vỉa hè",
        "Hàng quán bày bán tràn ra vỉa hè, người đi bộ phải đi xuống lòng đường.",
    ),
    "trees": (
        "Cây xanh có nguy cơ gãy đổ",
        "Cây lớn bên đường nghiêng, nhiều cành khô, sợ gãy khi có gió mạnh.",
    ),
    "noise": (
        "Hát karaoke gây ồn",
        "Nhà bên cạnh hát karaoke đến khuya, ảnh hưởng giấc ngủ của bà con.",
    ),
    "public_order": (
        "Tụ tập gây mất trật tự",
        "Nhóm thanh niên thường tụ tập, rú ga xe máy vào buổi tối.",
    ),
    "construction": (
        "Công trình xây dựng không che chắn",
        "Công trình xây nhà không che chắn, vật liệu rơi xuống đường.",
    ),
    "environment": ("Khói đốt rác", "Có người đốt rác thường xuyên, khói bay vào khu dân cư."),
    "water_supply": ("Mất nước sinh hoạt", "Khu phố mất nước từ sáng, chưa thấy thông báo."),
    "power": ("Dây điện võng thấp", "Dây điện võng thấp sát mái nhà, rất nguy hiểm."),
    "land": ("Lấn chiếm đất công", "Có hộ rào chiếm phần đất công cạnh đường kiệt."),
    "food_safety": ("Quán ăn mất vệ sinh", "Quán ăn để thực phẩm không che đậy, nhiều ruồi."),
    "procedures": (
        "Hồ sơ trễ hẹn",
        "Hồ sơ nộp đã quá ngày hẹn mà chưa có kết quả, không được báo lý do.",
    ),
    "officials_conduct": (
        "Thái độ tiếp dân",
        "Cán bộ tiếp dân có thái độ chưa đúng mực khi hướng dẫn thủ tục.",
    ),
    "social_welfare": (
        "Hỗ trợ hộ khó khăn",
        "Đề nghị xem xét hỗ trợ cho hộ người già neo đơn trong xóm.",
    ),
    "tourism": ("Chèo kéo du khách", "Xích lô chèo kéo, nài ép du khách ở khu vực di tích."),
    "health": (
        "Muỗi nhiều, lo sốt xuất huyết",
        "Khu dân cư nhiều muỗi, đề nghị phun thuốc phòng dịch.",
    ),
    "education": ("Ùn tắc cổng trường", "Giờ tan học cổng trường ùn tắc kéo dài."),
    "other": ("Kiến nghị khác", "Đề nghị chính quyền xem xét, giải quyết."),
}
ANSWERS = {
    Status.FIXED: "UBND đã cử lực lượng kiểm tra và khắc phục xong. Cảm ơn bà con đã phản ánh.",
    Status.CLOSED_NOT_FIXED: "Đã kiểm tra hiện trường; việc khắc phục cần kinh phí, đã đưa vào kế hoạch năm sau.",
    Status.NOT_COMPETENT: "Nội dung không thuộc thẩm quyền; đề nghị liên hệ cơ quan quản lý chuyên ngành.",
}


def _reports(ctx: DemoContext, bar: tqdm[Any]) -> str:
    if Report.objects.filter(province_code=PROVINCE_CODE).exists():
        return "phản ánh đã có sẵn, bỏ qua"
    rng = ctx.rng
    now = timezone.now()
    communes = list(
        Unit.objects.filter(
            province_code=PROVINCE_CODE, level=Level.COMMUNE, valid_from=REFORM_DATE
        )
    )
    province = Unit.objects.get(
        province_code=PROVINCE_CODE, level=Level.PROVINCE, valid_from=REFORM_DATE
    )
    categories = {c.code: c for c in Category.objects.filter(active=True)}
    case_types = {c.code: c for c in CaseType.objects.all()}
    codes = [code for code in WEIGHTS if code in categories]
    weights = [WEIGHTS[code] for code in codes]
    total = ctx.scaled(PER_MONTH * DAYS // 30)
    bar.reset(total=total)
    reports, used = [], set()
    for _ in range(total):
        category = categories[rng.choices(codes, weights)[0]]
        commune = rng.choice(communes)
        days_ago = rng.random() * DAYS
        received = now - dt.timedelta(days=days_ago)
        received = received.replace(hour=rng.randint(6, 21), minute=rng.randint(0, 59))
        if received > now:
            received -= dt.timedelta(days=1)
        case_type = case_types[category.case_type_code]
        due = due_at(case_type, received)
        title, text = TEXTS.get(category.code, TEXTS["other"])
        code = "PA-" + "".join(rng.choice(CODE_ALPHABET) for _ in range(7))
        while code in used:
            code = "PA-" + "".join(rng.choice(CODE_ALPHABET) for _ in range(7))
        used.add(code)
        unit, agency = (
            (province, category.agency)
            if category.handled_by == "province"
            else (commune, f"UBND {commune.name}")
        )
        report = Report(
            code=code,
            category=category,
            case_type=case_type,
            channel=rng.choice(
                [Channel.OPEN311] * 6 + [Channel.WEB] * 2 + [Channel.PHONE, Channel.EMAIL]
            ),
            title=title,
            description=text,
            latitude=(commune.latitude or 16.46) + rng.uniform(-0.004, 0.004),
            longitude=(commune.longitude or 107.59) + rng.uniform(-0.004, 0.004),
            address=f"{commune.name}, thành phố Huế",
            unit=unit,
            agency=agency,
            province_code=PROVINCE_CODE,
            received_at=received,
            due_at=due,
            reporter_name="",
            reporter_token=secrets.token_urlsafe(24),
            status=Status.RECEIVED,
        )
        allowed = (due - received).total_seconds()
        roll = rng.random()
        late = roll < 0.14
        answer_after = allowed * (rng.uniform(1.05, 1.8) if late else rng.uniform(0.1, 0.95))
        answered = received + dt.timedelta(seconds=answer_after)
        if answered < now and rng.random() < 0.97:
            status = rng.choices(
                [Status.FIXED, Status.CLOSED_NOT_FIXED, Status.NOT_COMPETENT], [86, 9, 5]
            )[0]
            report.status, report.answered_at, report.answer = status, answered, ANSWERS[status]
            if rng.random() < 0.7:
                report.satisfied = rng.random() < (0.95 if status == Status.FIXED else 0.6)
                report.rated_at = answered + dt.timedelta(hours=rng.randint(1, 72))
        else:
            report.status = rng.choice(
                [Status.RECEIVED, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.ACTION_SCHEDULED]
            )
            if due < now:
                report.escalated_at = due + dt.timedelta(hours=1)
        report.created_at = received
        reports.append(report)
        bar.update(1)
    Report.objects.bulk_create(reports, batch_size=2000)
    events = []
    for report in reports:
        events.append(
            _event(
                report,
                ReportEvent.RECEIVED,
                report.received_at,
                channel=report.channel,
                unit=report.unit.code,
            )
        )
        if report.answered_at is not None:
            events.append(
                _event(
                    report,
                    ReportEvent.ANSWERED,
                    report.answered_at,
                    status=report.status,
                    on_time=report.answered_at <= report.due_at,
                )
            )
    Event.objects.bulk_create(events, batch_size=5000)
    answered_count = sum(1 for r in reports if r.status in ANSWERED_STATUSES)
    return f"{len(reports)} phản ánh trong {DAYS} ngày qua ở {len(communes)} xã, phường; {answered_count} đã trả lời"


def _event(report: Report, kind: ReportEvent, at: dt.datetime, **data: Any) -> Event:
    """The event row a report's service would have written, for writing in bulk."""
    return Event(
        occurred_at=at,
        kind=kind,
        subject_type="feedback.report",
        subject_id=str(report.pk),
        province_code=PROVINCE_CODE,
        data=data,
    )


STAGES = [Stage("Phản ánh, kiến nghị của người dân (Hue-S)", _reports)]
