"""Demo stage: dossiers at the one-stop desks of Huế's 40 communes since the 2025 reform.

Two stretches, each a full record of every dossier (received, steps, supplements, apologies,
result, return, rating, with their events), which the screens and reports then count:
- July 2025, the first month of the two-tier government, at the published pace: 17,710
  dossiers received in 1–14 July of which 75.8 % online (exact, scaled), 44,825 in the whole
  month (exact, scaled). The press also gives 91.2 % online for July, which cannot hold with
  the first fortnight's 75.8 % (the second fortnight would need more online dossiers than
  dossiers); here the online share rises through the second fortnight to about 91 % on the
  last days of July (generated, not published).
- the last 90 days before today, at about 45,000 dossiers a month, about 90 % online.
Each commune has its own diligence, so on-time rates spread between communes; about 7 % of
dossiers get a supplement request (a few two), a few are withdrawn, stopped or refused, late
ones mostly get an apology before their due time, a third of returned dossiers are rated.
Rows are written in bulk (the services would take minutes); deadlines come from the same
calendar the services use, and codes continue from the day counters they leave.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from tqdm import tqdm

from gandan.accounts.models import User
from gandan.core.bulk import insert_rows
from gandan.core.calendar import WorkingCalendar
from gandan.core.crypto import encrypt
from gandan.core.demo import PROVINCE_CODE, DemoContext, Stage
from gandan.core.models import Event
from gandan.core.text import fold
from gandan.geo.models import REFORM_DATE, Level, Unit
from gandan.onestop.events import OnestopEvent as E
from gandan.onestop.models import (
    RATING_CRITERIA,
    Apology,
    ApologyStatus,
    Channel,
    Dossier,
    DossierDocument,
    DossierSequence,
    OnlineLevel,
    ProcedureVersion,
    Rating,
    Status,
    StepHandler,
    Supplement,
)
from gandan.onestop.services import lookup_key

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_FORTNIGHT = 17_710  # received 1–14 Jul 2025 (published)
FIRST_FORTNIGHT_ONLINE = 13_424  # 75.8 % of it (published rate)
JULY = 44_825  # received in July 2025 (published)
JULY_END_ONLINE = 0.912  # the online share reached at the end of July
PER_MONTH = 45_000
DAYS = 90
RECENT_ONLINE = 0.90
# Relative frequency of each procedure at a commune desk (certification and civil status
# dominate; land and social assistance are fewer).
WEIGHTS = {
    "2.000908": 30,
    "2.000884": 10,
    "1.001193": 10,
    "1.004873": 10,
    "2.000635": 8,
    "2.001035": 6,
    "1.000894": 4,
    "1.012766": 4,
    "1.000656": 3,
    "1.004859": 3,
    "1.001776": 3,
    "1.003005": 3,
    "1.000489": 2,
    "1.000472": 1,
    "1.012790": 1,
}
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Phan",
    "Võ",
    "Đặng",
    "Hồ",
    "Ngô",
    "Dương",
    "Trương",
]
MIDDLE = ["Văn", "Thị", "Đức", "Ngọc", "Minh", "Quang", "Thanh", "Hữu", "Xuân", "Thu"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam",
         "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy"]  # fmt: skip
SUPPLEMENT_REASONS = [
    "Bản sao giấy tờ chưa rõ, đề nghị nộp bản chụp rõ nét.",
    "Tờ khai thiếu chữ ký của người yêu cầu.",
    "Thiếu giấy tờ chứng minh nơi cư trú.",
    "Sơ đồ thửa đất chưa có xác nhận của thôn, tổ dân phố.",
]
APOLOGY_REASONS = [
    "Cần xác minh thêm thông tin tại nơi cư trú của người yêu cầu.",
    "Hồ sơ liên thông với cơ quan cấp tỉnh chưa có kết quả.",
    "Số lượng hồ sơ tăng đột biến sau khi sắp xếp đơn vị hành chính.",
]
# Demo officers who record results in the two communes with demo accounts.
OFFICERS = {"19789": "congchuc.thuanhoa", "19777": "congchuc.vyda"}


@dataclass
class Version:
    version: ProcedureVersion
    shares: list[int]
    handlers: list[str]
    documents: list[dict[str, Any]]
    online: bool


@dataclass
class Batch:
    dossiers: list[tuple[Any, ...]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)


DOSSIER_FIELDS = [
    "code", "province_code", "unit_id", "version_id", "channel", "status", "applicant_name",
    "applicant_search_name", "applicant_id", "applicant_phone", "applicant_email", "applicant_address", "lookup_id_key",
    "lookup_phone_key", "submitted_at", "received_at", "starts_at", "due_at", "appointment_at",
    "paused_at", "paused_hours", "supplement_count", "finished_at", "handling_hours",
    "returned_at", "closed_at", "step_order", "current_unit_id", "assignee_id", "handled_by_id",
    "result_note", "result_electronic", "digitised", "reused", "complaint", "reason",
    "idempotency_key", "created_at", "created_by_id", "updated_by_id", "result_file",
]  # fmt: skip


class Generator:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.now = timezone.now()
        self.calendar = WorkingCalendar()
        self.communes = list(
            Unit.objects.filter(
                province_code=PROVINCE_CODE, level=Level.COMMUNE, valid_from=REFORM_DATE
            ).order_by("code")
        )
        self.province = Unit.objects.get(
            province_code=PROVINCE_CODE, level=Level.PROVINCE, valid_from=REFORM_DATE
        )
        rng = self.rng
        # Bigger wards receive more; each commune has its own diligence (on-time chance).
        self.volume = list(accumulate(rng.lognormvariate(0, 0.5) for _ in self.communes))
        self.diligence = {c.pk: rng.uniform(0.80, 0.995) for c in self.communes}
        self.officers = {
            code: User.objects.filter(username=name).values_list("pk", flat=True).first()
            for code, name in OFFICERS.items()
        }
        self.versions: dict[str, Version] = {}
        for version in ProcedureVersion.objects.in_force(REFORM_DATE).select_related("procedure"):
            steps = list(version.steps.order_by("order"))
            self.versions[version.procedure.code] = Version(
                version=version,
                shares=[s.share_percent for s in steps],
                handlers=[s.handler for s in steps],
                documents=version.documents,
                online=version.online != OnlineLevel.NONE,
            )
        codes = [code for code in WEIGHTS if code in self.versions]
        self.all_codes, self.all_weights = codes, list(accumulate(WEIGHTS[c] for c in codes))
        self.online_codes = [c for c in codes if self.versions[c].online]
        self.online_weights = list(accumulate(WEIGHTS[c] for c in self.online_codes))
        self.sequence: Counter[tuple[str, dt.date]] = Counter()
        self.batch = Batch()

    # -- time ------------------------------------------------------------------------------

    def office_instant(self, day: dt.date) -> dt.datetime:
        """A moment during office hours of ``day`` (a working day)."""
        minutes = self.rng.randrange(0, 8 * 60)
        opening = dt.time(7, 0) if minutes < 270 else dt.time(13, 30)
        offset = minutes if minutes < 270 else minutes - 270
        return dt.datetime.combine(day, opening, tzinfo=LOCAL) + dt.timedelta(minutes=offset)

    def working_days(self, first: dt.date, last: dt.date) -> list[dt.date]:
        days, day = [], first
        while day <= last:
            if self.calendar.is_working_day(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    # -- one dossier -----------------------------------------------------------------------

    def dossier(self, received: dt.datetime, online: bool) -> None:
        rng, now = self.rng, self.now
        commune = rng.choices(self.communes, cum_weights=self.volume)[0]
        code_of_procedure = (
            rng.choices(self.online_codes, cum_weights=self.online_weights)[0]
            if online
            else rng.choices(self.all_codes, cum_weights=self.all_weights)[0]
        )
        v = self.versions[code_of_procedure]
        version = v.version
        channel = (
            Channel.ONLINE if online else (Channel.POST if rng.random() < 0.02 else Channel.COUNTER)
        )
        submitted = received
        if online:
            earliest = dt.datetime.combine(REFORM_DATE, dt.time(0), tzinfo=LOCAL)
            submitted = max(received - dt.timedelta(minutes=rng.randrange(5, 20 * 60)), earliest)
        day = timezone.localtime(submitted).date()
        self.sequence[(commune.code, day)] += 1
        code = f"{commune.code}-{day:%y%m%d}-{self.sequence[(commune.code, day)]:04d}"
        deadline = self.calendar.due(
            received, version.time_limit, version.time_unit, cutoff=version.cutoff
        )
        starts, due = deadline.starts, deadline.due
        if version.time_unit == "working_days":
            allowed_hours = max(version.time_limit * 8.0, 1.0)
        else:
            allowed = self.calendar.working_hours_between(starts, due)
            allowed_hours = max(allowed.total_seconds() / 3600, 1.0)
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        citizen_id = (
            f"046{rng.choice('0123')}{rng.randrange(40, 100):02d}{rng.randrange(10**6):06d}"
        )
        phone = f"09{rng.randrange(10**8):08d}"
        plan: dict[str, Any] = {"code": code, "commune": commune, "v": v, "received": received}
        # What happens to it.
        roll = rng.random()
        supplements = 2 if roll < 0.007 else 1 if roll < 0.07 else 0
        paused_hours = 0.0
        pauses: list[tuple[dt.datetime, dt.datetime | None, float]] = []
        cursor_hours = allowed_hours * rng.uniform(0.1, 0.4)
        for _ in range(supplements):
            requested = self.calendar.add_working_hours(starts, dt.timedelta(hours=cursor_hours))
            wait = rng.uniform(4, 40)
            resumed = self.calendar.add_working_hours(requested, dt.timedelta(hours=wait))
            pauses.append((requested, resumed, wait))
            paused_hours += wait
            cursor_hours += rng.uniform(1, 8)
        # The due time moves by the pauses that have ended by now; the plan uses them all.
        done_hours = sum(wait for _r, back, wait in pauses if back is not None and back <= now)
        planned_due = due
        if paused_hours:
            planned_due = self.calendar.add_working_hours(due, dt.timedelta(hours=paused_hours))
        if done_hours:
            due = self.calendar.add_working_hours(due, dt.timedelta(hours=done_hours))
        late = rng.random() > self.diligence[commune.pk]
        spent = allowed_hours * (rng.uniform(1.02, 1.6) if late else rng.uniform(0.15, 0.97))
        finish = self.calendar.add_working_hours(starts, dt.timedelta(hours=spent + paused_hours))
        end_roll = rng.random()
        status, closed, reason = Status.PROCESSING, None, ""
        if end_roll < 0.005:
            status, closed, reason = (
                Status.WITHDRAWN,
                received + (finish - received) / 3,
                "Công dân xin rút hồ sơ.",
            )
        elif end_roll < 0.01 and supplements:
            status, closed, reason = (
                Status.STOPPED,
                pauses[-1][1],
                "Công dân không bổ sung hồ sơ trong thời hạn.",
            )
            pauses[-1] = (pauses[-1][0], None, pauses[-1][2])
        finished = finish if status == Status.PROCESSING and finish <= now else None
        returned = None
        if finished is not None:
            status = Status.DONE
            handback = finished + dt.timedelta(hours=rng.uniform(0.5, 30))
            if handback <= now and rng.random() < 0.96:
                status, returned = Status.RETURNED, handback
        if closed is not None and closed > now:
            status, closed, reason = Status.PROCESSING, None, ""
        open_pause = None
        if status == Status.PROCESSING:
            for asked, back, _wait in pauses:
                if asked <= now and (back is None or back > now):
                    open_pause = asked
        if open_pause is not None:
            status = Status.SUPPLEMENT
        # Where it stands: the step reached by the share of the office time used.
        steps = len(v.shares)
        if status in (Status.DONE, Status.RETURNED):
            step = steps
        elif status in (Status.WITHDRAWN, Status.STOPPED):
            step = 2
        else:
            used = (now - starts) / max(finish - starts, dt.timedelta(minutes=1))
            cumulative, step = 0.0, 1
            for order, share in enumerate(v.shares[:-1], 1):
                cumulative += share / 100
                if used >= cumulative:
                    step = order + 1
            step = min(step, steps - 1)
        current = (
            self.province
            if v.handlers[step - 1] == StepHandler.PROVINCE and status == Status.PROCESSING
            else commune
        )
        officer = self.officers.get(commune.code)
        handling = None
        if finished is not None:
            spent_office = (
                self.calendar.working_hours_between(starts, finished).total_seconds() / 3600
            )
            handling = max(spent_office - paused_hours, 0.0)
        electronic = rng.random() < (0.85 if online else 0.4)
        digitised = rng.random() < (0.95 if online else 0.6)
        self.batch.dossiers.append(
            (
                code, PROVINCE_CODE, commune.pk, version.pk, channel, status, name, fold(name),
                encrypt(citizen_id), encrypt(phone), "", "", lookup_key(code, citizen_id[-4:]),
                lookup_key(code, phone[-4:]), submitted, received, starts, due,
                due, open_pause, done_hours, sum(1 for p in pauses if p[0] <= now),
                finished, handling, returned, returned or closed, step, current.pk,
                None, officer if finished else None, "Đã giải quyết" if finished else "",
                bool(finished) and electronic, digitised, rng.random() < 0.25,
                rng.random() < 0.003 and finished is not None, reason, "", received, None, None, "",
            )
        )  # fmt: skip
        plan.update(
            status=status, starts=starts, due=due, finish=finished, returned=returned,
            closed=closed, reason=reason, pauses=pauses, late=late, step=step, online=online,
            planned=finish, planned_due=planned_due,
            officer=officer, submitted=submitted,
        )  # fmt: skip
        self.batch.plans.append(plan)

    def refused(self, received: dt.datetime) -> None:
        """An online dossier the desk refused to receive (not counted as received)."""
        rng = self.rng
        commune = rng.choices(self.communes, cum_weights=self.volume)[0]
        v = self.versions[rng.choices(self.online_codes, cum_weights=self.online_weights)[0]]
        day = timezone.localtime(received).date()
        self.sequence[(commune.code, day)] += 1
        code = f"{commune.code}-{day:%y%m%d}-{self.sequence[(commune.code, day)]:04d}"
        citizen_id = (
            f"046{rng.choice('0123')}{rng.randrange(40, 100):02d}{rng.randrange(10**6):06d}"
        )
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        self.batch.dossiers.append(
            (
                code, PROVINCE_CODE, commune.pk, v.version.pk, Channel.ONLINE, Status.REFUSED,
                name, fold(name),
                encrypt(citizen_id), "", "", "", lookup_key(code, citizen_id[-4:]), "",
                received, None, None, None, None, None, 0.0, 0, None, None, None,
                received + dt.timedelta(hours=2), 1, commune.pk, None, None, "", False, False,
                False, False, "Tệp đính kèm không đọc được; đề nghị nộp lại.", "", received, None, None, "",
            )
        )  # fmt: skip
        self.batch.plans.append(
            {
                "code": code,
                "status": Status.REFUSED,
                "received": received,
                "commune": commune,
                "v": v,
            }
        )

    # -- writing ---------------------------------------------------------------------------

    def flush(self) -> int:
        batch, self.batch = self.batch, Batch()
        if not batch.dossiers:
            return 0
        insert_rows(Dossier, DOSSIER_FIELDS, batch.dossiers)
        ids = dict(
            Dossier.objects.filter(code__in=[p["code"] for p in batch.plans]).values_list(
                "code", "pk"
            )
        )
        # JSON as text: SQLite stores it so, PostgreSQL casts the untyped parameter to jsonb.
        prep = partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
        events, documents, supplements, apologies, ratings = [], [], [], [], []
        for plan in batch.plans:
            pk = ids[plan["code"]]
            subject = str(pk)
            commune = plan["commune"]

            def event(
                kind: E,
                at: dt.datetime,
                actor: int | None = None,
                *,
                _subject: str = subject,
                **data: Any,
            ) -> None:
                events.append(
                    (
                        at,
                        kind.value,
                        actor,
                        "onestop.dossier",
                        _subject,
                        PROVINCE_CODE,
                        prep(data),
                    )
                )  # noqa: B023

            status = plan["status"]
            if status == Status.REFUSED:
                event(
                    E.REGISTERED,
                    plan["received"],
                    status=1,
                    step=1,
                    channel=2,
                    to_unit=commune.code,
                )
                event(
                    E.REFUSED,
                    plan["received"] + dt.timedelta(hours=2),
                    status=3,
                    step=1,
                    reason="Tệp đính kèm không đọc được; đề nghị nộp lại.",
                )
                continue
            v: Version = plan["v"]
            for document in v.documents:
                provided = document.get("required", True) or self.rng.random() < 0.5
                documents.append(
                    (
                        pk,
                        document["code"],
                        document["name"],
                        document.get("required", True),
                        provided,
                        provided and plan["online"],
                        False,
                        "",
                    )
                )
            if plan["online"]:
                event(
                    E.REGISTERED,
                    plan["submitted"],
                    status=1,
                    step=1,
                    channel=2,
                    to_unit=commune.code,
                )
            officer = plan["officer"]
            event(
                E.RECEIVED,
                plan["received"],
                officer,
                status=2,
                step=1,
                channel=2 if plan["online"] else 1,
                to_unit=commune.code,
                due=plan["due"].isoformat(),
            )
            end = plan["finish"] or plan["closed"] or plan["planned"]
            span = end - plan["starts"]
            cumulative = 0
            for order, share in enumerate(v.shares[:-1], 1):
                cumulative += share
                if order >= plan["step"] or order + 1 >= len(v.shares):
                    break
                at = plan["starts"] + span * (cumulative / 100)
                if at > self.now:
                    break
                to_province = v.handlers[order] == StepHandler.PROVINCE
                back_from_province = v.handlers[order - 1] == StepHandler.PROVINCE
                target = self.province.code if to_province else commune.code
                source = self.province.code if back_from_province else commune.code
                event(
                    E.TRANSFERRED if target != source else E.FORWARDED,
                    at,
                    officer,
                    status=4,
                    step=order + 1,
                    from_step=order,
                    from_unit=source,
                    to_unit=target,
                    to_user="",
                    note="",
                )
            for number, (requested, resumed, wait) in enumerate(plan["pauses"], 1):
                if requested > self.now:
                    break
                reason = self.rng.choice(SUPPLEMENT_REASONS)
                supplements.append(
                    (
                        pk,
                        requested,
                        None,
                        reason,
                        prep([]),
                        resumed if resumed and resumed <= self.now else None,
                        wait if resumed and resumed <= self.now else 0.0,
                    )
                )
                event(
                    E.SUPPLEMENT_REQUESTED,
                    requested,
                    officer,
                    status=5,
                    step=2,
                    reason=reason,
                    documents=[],
                    count=number,
                )
                if resumed is not None and resumed <= self.now:
                    event(
                        E.RESUMED,
                        resumed,
                        officer,
                        status=4,
                        step=2,
                        paused_hours=round(wait, 2),
                        due=plan["due"].isoformat(),
                    )
            if plan["late"] and plan["finish"] is not None and self.rng.random() < 0.75:
                due = plan["due"]
                sent_late = self.rng.random() < 0.15
                drafted = due - dt.timedelta(hours=self.rng.uniform(3, 20))
                sent = (
                    due + dt.timedelta(hours=self.rng.uniform(1, 20))
                    if sent_late
                    else due - dt.timedelta(hours=self.rng.uniform(0.5, 2))
                )
                sent = min(sent, plan["finish"])
                drafted = min(drafted, sent - dt.timedelta(hours=1))
                approved = drafted + (sent - drafted) / 2
                new_appointment = plan["finish"] + dt.timedelta(hours=self.rng.uniform(2, 24))
                apologies.append(
                    (
                        pk,
                        ApologyStatus.SENT,
                        self.rng.choice(APOLOGY_REASONS),
                        new_appointment,
                        drafted,
                        officer,
                        approved,
                        None,
                        sent,
                        "sms",
                        sent > due,
                    )
                )
                event(E.APOLOGY_DRAFTED, drafted, officer, status=4, step=2)
                event(E.APOLOGY_APPROVED, approved, None, status=4, step=2)
                event(E.APOLOGY_SENT, sent, officer, status=4, step=2, via="sms", late=sent > due)
            # Withdrawn by the applicant; stopped by the officer.
            closing = {Status.WITHDRAWN: (E.WITHDRAWN, None), Status.STOPPED: (E.STOPPED, officer)}
            if status in closing:
                kind, by = closing[status]
                event(
                    kind,
                    plan["closed"],
                    by,
                    status=status,
                    step=plan["step"],
                    reason=plan["reason"],
                )
            if plan["finish"] is not None:
                event(
                    E.FINISHED,
                    plan["finish"],
                    officer,
                    status=9,
                    step=len(v.shares),
                    from_step=len(v.shares) - 1,
                    from_unit=commune.code,
                    to_unit=commune.code,
                    late=plan["finish"] > plan["due"],
                )
            if plan["returned"] is not None:
                event(E.RETURNED, plan["returned"], officer, status=10, step=len(v.shares))
                if self.rng.random() < 0.35:
                    base = 5 if not plan["late"] else 3
                    scores = {
                        code: max(
                            1, min(5, base - (self.rng.random() < 0.3) + (self.rng.random() < 0.1))
                        )
                        for code, _label in RATING_CRITERIA
                    }
                    rated = plan["returned"] + dt.timedelta(minutes=self.rng.randrange(1, 600))
                    if rated <= self.now:
                        ratings.append(
                            (
                                pk,
                                rated,
                                "kiosk" if self.rng.random() < 0.6 else "link",
                                prep(scores),
                                sum(scores.values()) / len(scores),
                                "",
                            )
                        )
                        event(
                            E.RATED,
                            rated,
                            None,
                            status=10,
                            step=len(v.shares),
                            average=round(sum(scores.values()) / len(scores), 2),
                            via="kiosk",
                        )
        insert_rows(
            Event,
            [
                "occurred_at",
                "kind",
                "actor_id",
                "subject_type",
                "subject_id",
                "province_code",
                "data",
            ],
            events,
        )
        insert_rows(
            DossierDocument,
            ["dossier_id", "code", "name", "required", "provided", "digitised", "reused", "file"],
            documents,
        )
        insert_rows(
            Supplement,
            [
                "dossier_id",
                "requested_at",
                "requested_by_id",
                "reason",
                "documents",
                "resumed_at",
                "paused_hours",
            ],
            supplements,
        )
        insert_rows(
            Apology,
            [
                "dossier_id",
                "status",
                "reason",
                "new_appointment_at",
                "drafted_at",
                "drafted_by_id",
                "approved_at",
                "approved_by_id",
                "sent_at",
                "sent_via",
                "sent_late",
            ],
            apologies,
        )
        insert_rows(
            Rating, ["dossier_id", "rated_at", "via", "scores", "average", "comment"], ratings
        )
        return len(batch.dossiers)

    def save_sequences(self) -> None:
        insert_rows(
            DossierSequence,
            ["unit_code", "day", "last"],
            ((code, day, last) for (code, day), last in self.sequence.items()),
        )


def _received_times(
    gen: Generator, days: list[dt.date], count: int, online: int
) -> Iterator[tuple[dt.datetime, bool]]:
    """``count`` receipts spread over ``days``, ``online`` of them online."""
    rng = gen.rng
    flags = [True] * online + [False] * (count - online)
    rng.shuffle(flags)
    for flag in flags:
        yield gen.office_instant(rng.choice(days)), flag


def _dossiers(ctx: DemoContext, bar: tqdm[Any]) -> str:
    if Dossier.objects.filter(province_code=PROVINCE_CODE).exists():
        return "hồ sơ một cửa đã có sẵn, bỏ qua"
    gen = Generator(ctx)
    rng = ctx.rng
    first = gen.working_days(REFORM_DATE, dt.date(2025, 7, 14))
    second = gen.working_days(dt.date(2025, 7, 15), dt.date(2025, 7, 31))
    today = timezone.localdate(gen.now)
    recent = [d for d in gen.working_days(today - dt.timedelta(days=DAYS), today)]
    fortnight, fortnight_online = ctx.scaled(FIRST_FORTNIGHT), ctx.scaled(FIRST_FORTNIGHT_ONLINE)
    rest = ctx.scaled(JULY) - fortnight
    recent_count = ctx.scaled(PER_MONTH * DAYS // 30)
    bar.reset(total=fortnight + rest + recent_count)

    def flush_every(n: int = 5000) -> None:
        if len(gen.batch.dossiers) >= n:
            gen.flush()

    for received, online in _received_times(gen, first, fortnight, fortnight_online):
        gen.dossier(received, online)
        bar.update(1)
        flush_every()
    # Second fortnight: the online share rises from the first fortnight's to ≈ 91 %.
    for _ in range(rest):
        day = rng.choice(second)
        progress = (day - second[0]).days / max((second[-1] - second[0]).days, 1)
        share = 0.80 + (JULY_END_ONLINE - 0.80) * progress
        gen.dossier(gen.office_instant(day), rng.random() < share)
        bar.update(1)
        flush_every()
    for _ in range(recent_count):
        received = gen.office_instant(rng.choice(recent))
        if received > gen.now:
            received = gen.now - dt.timedelta(minutes=rng.randrange(1, 120))
        gen.dossier(received, rng.random() < RECENT_ONLINE)
        bar.update(1)
        flush_every()
    for _ in range(max(1, recent_count // 100)):
        gen.refused(gen.office_instant(rng.choice(recent)) - dt.timedelta(days=1))
    gen.flush()
    gen.save_sequences()
    total = Dossier.objects.filter(province_code=PROVINCE_CODE).count()
    return (
        f"{total} hồ sơ ở {len(gen.communes)} xã, phường: {fortnight + rest} trong tháng 7/2025 "
        f"({fortnight} trong 1–14/7, {fortnight_online} trực tuyến), {recent_count} trong {DAYS} ngày qua"
    )


STAGES = [Stage("Hồ sơ một cửa (tháng 7/2025 và 90 ngày qua)", _dossiers)]
