"""Demo stages for officials.

2018 (legacy units of Huế, as the seed article counts them on 30 Jun 2018): 1,597 elected
cadres (university 59.1 %, college 2.2 %, intermediate political theory or higher 83.5 %),
1,759 civil servants (67.5 %, 6.8 %, 42.6 %) and 10,570 part-time workers. The generator
makes exactly that many people, gives exactly that many of them the qualification by that
date, and lets the statistics count them. Later degrees (after 2018) are generated too, so
that "as of" makes a difference.

Today (the 40 communes since 1 Jul 2025): the post-reform apparatus, many people carried
over from the communes that merged, Party secretaries rotated in from elsewhere, three
paid titles in every village, evaluations for 2024 and 2025, and some people below standard.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from faker import Faker
from tqdm import tqdm

from gandan.core.crypto import blind_index
from gandan.core.demo import PROVINCE_CODE, DemoContext, Stage
from gandan.core.text import fold
from gandan.geo.models import (
    REFORM_DATE,
    Classification,
    Hamlet,
    Level,
    Lineage,
    Unit,
    UnitClassification,
)
from gandan.geo.sources import LEGACY_VALID_TO
from gandan.officials.models import (
    Category,
    Education,
    Evaluation,
    Grade,
    Official,
    Politics,
    Position,
    Posting,
    PostingKind,
    Qualification,
    QualificationKind,
    Record,
    Relative,
    Rotation,
    Sex,
)
from gandan.officials.services import add_months

CENSUS_DAY = dt.date(2018, 6, 30)
# The seed article's figures (Huế, about 2018).
TARGETS: dict[str, dict[str, Any]] = {
    Category.CADRE: {
        "count": 1597,
        "university": Decimal("59.1"),
        "college": Decimal("2.2"),
        "politics": Decimal("83.5"),
    },
    Category.CIVIL_SERVANT: {
        "count": 1759,
        "university": Decimal("67.5"),
        "college": Decimal("6.8"),
        "politics": Decimal("42.6"),
    },
}
PART_TIME = 10_570
PART_TIME_COMMUNE_EACH = 20  # per legacy commune, within Decree 92/2009's 19–22
MINORITIES = ["Tà Ôi", "Cơ Tu", "Bru-Vân Kiều", "Pa Kô"]
_MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Ngọc", "Công"]
_MIDDLE_FEMALE = ["Thị", "Ngọc", "Thanh", "Minh", "Kim", "Thu", "Hoài", "Diệu"]
DEMO_SOURCE = "Dữ liệu trình diễn (phân loại sinh ngẫu nhiên, không phải quyết định thật)"


def exact_count(total: int, percent: Decimal) -> int:
    """How many of ``total`` make ``percent`` when rounded to one decimal (half up)."""
    n = int((Decimal(total) * percent / 100).to_integral_value(rounding=ROUND_HALF_UP))
    for candidate in (n, n - 1, n + 1):
        share = (Decimal(candidate) * 100 / Decimal(total)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        if share == percent:
            return candidate
    return n


class People:
    """Generates people with unique citizen IDs, Vietnamese names and plausible birth dates."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.faker = Faker("vi_VN")
        self.faker.seed_instance(ctx.seed)
        # One sequence per demo run, so that two generators never issue the same citizen ID.
        ctx.data.setdefault("citizen_serial", 0)
        self.now = timezone.now()

    def make(
        self,
        *,
        age_on: dt.date,
        low: int,
        high: int,
        home: Unit | None,
        minority_share: float = 0.0,
    ) -> Official:
        rng = self.ctx.rng
        sex = Sex.MALE if rng.random() < 0.62 else Sex.FEMALE
        if sex == Sex.MALE:
            name = f"{self.faker.last_name()} {rng.choice(_MIDDLE_MALE)} {self.faker.first_name_male()}"
        else:
            name = f"{self.faker.last_name()} {rng.choice(_MIDDLE_FEMALE)} {self.faker.first_name_female()}"
        age_days = rng.randint(low * 365, high * 365)
        birth = age_on - dt.timedelta(days=age_days)
        self.ctx.data["citizen_serial"] += 1
        century = (0 if birth.year < 2000 else 2) + (1 if sex == Sex.FEMALE else 0)
        citizen_id = f"046{century}{birth.year % 100:02d}{self.ctx.data['citizen_serial']:06d}"
        ethnicity = rng.choice(MINORITIES) if rng.random() < minority_share else "Kinh"
        return Official(
            full_name=name,
            search_name=fold(name),
            birth_date=birth,
            sex=sex,
            ethnicity=ethnicity,
            home_unit=home,
            citizen_id=citizen_id,
            citizen_id_index=blind_index(citizen_id),
            province_code=PROVINCE_CODE,
            created_at=self.now,
        )


def _classify(
    ctx: DemoContext, communes: list[Unit], valid_from: dt.date | None, valid_to: dt.date | None
) -> None:
    rows = []
    for commune in communes:
        roll = ctx.rng.random()
        klass = (
            Classification.I
            if roll < 0.3
            else Classification.II
            if roll < 0.75
            else Classification.III
        )
        rows.append(
            UnitClassification(
                unit=commune,
                classification=klass,
                valid_from=valid_from,
                valid_to=valid_to,
                source=DEMO_SOURCE,
            )
        )
    UnitClassification.objects.bulk_create(rows)


def _spread(total: int, slots: list[Any], ctx: DemoContext) -> dict[Any, int]:
    base, remainder = divmod(total, len(slots)) if slots else (0, 0)
    counts = {slot: base for slot in slots}
    for slot in ctx.rng.sample(slots, remainder):
        counts[slot] += 1
    return counts


def _qualify(
    ctx: DemoContext,
    people: list[Official],
    *,
    university: int,
    college: int,
    politics: int,
    by: dt.date,
) -> list[Qualification]:
    """Exactly ``university`` of ``people`` hold a degree (or higher) by ``by``; ``college`` a college diploma; …"""
    rng = ctx.rng
    order = list(range(len(people)))
    rng.shuffle(order)
    rows: list[Qualification] = []

    def awarded(person: Official, earliest_age: int) -> dt.date:
        start = person.birth_date + dt.timedelta(days=365 * earliest_age)
        end = by if by > start else start
        return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))

    for rank, index in enumerate(order):
        person = people[index]
        if rank < university:
            level = Education.MASTER if rng.random() < 0.06 else Education.UNIVERSITY
        elif rank < university + college:
            level = Education.COLLEGE
        else:
            level = rng.choice(
                [
                    Education.INTERMEDIATE,
                    Education.INTERMEDIATE,
                    Education.ELEMENTARY,
                    Education.NONE,
                ]
            )
            # Some studied on after the census day: counted only from the date of the degree.
            if level != Education.NONE and rng.random() < 0.25:
                rows.append(
                    Qualification(
                        official=person,
                        kind=QualificationKind.EDUCATION,
                        level=Education.UNIVERSITY,
                        awarded_on=by + dt.timedelta(days=rng.randint(200, 2200)),
                        field="Luật",
                        institution="Trường Đại học Luật, Đại học Huế",
                    )
                )
        if level != Education.NONE:
            rows.append(
                Qualification(
                    official=person,
                    kind=QualificationKind.EDUCATION,
                    level=level,
                    awarded_on=min(awarded(person, 21), by),
                    field="Quản lý nhà nước",
                    institution="Đại học Huế"
                    if level >= Education.UNIVERSITY
                    else "Trường Chính trị tỉnh",
                )
            )
    rng.shuffle(order)
    for rank, index in enumerate(order):
        person = people[index]
        if rank < politics:
            theory = Politics.ADVANCED if rng.random() < 0.12 else Politics.INTERMEDIATE
        else:
            theory = Politics.ELEMENTARY if rng.random() < 0.6 else Politics.NONE
        if theory != Politics.NONE:
            rows.append(
                Qualification(
                    official=person,
                    kind=QualificationKind.POLITICS,
                    level=theory,
                    awarded_on=min(awarded(person, 25), by),
                    institution="Trường Chính trị Nguyễn Chí Thanh",
                )
            )
    return rows


def _posting(
    person: Official,
    position: Position,
    unit: Unit,
    *,
    start: dt.date,
    end: dt.date | None,
    kind: str,
    hamlet: Hamlet | None = None,
) -> Posting:
    ends = [d for d in (end, unit.valid_to, position.valid_to) if d is not None]
    return Posting(
        official=person,
        position=position,
        unit=unit,
        hamlet=hamlet,
        kind=kind,
        valid_from=start,
        valid_to=min(ends) if ends else None,
        province_code=unit.province_code,
    )


def _communes(**period: dt.date) -> list[Unit]:
    """The demo province's communes that began or ended on the day given (``valid_to=…``)."""
    communes = Unit.objects.filter(province_code=PROVINCE_CODE, level=Level.COMMUNE, **period)
    return list(communes.order_by("code"))


def _positions_on(day: dt.date) -> dict[str, Position]:
    return {p.code: p for p in Position.objects.all() if p.is_valid_on(day)}


def _legacy_2018(ctx: DemoContext, bar: tqdm[Any]) -> str:
    legacy = _communes(valid_to=LEGACY_VALID_TO)
    if Posting.objects.filter(unit__in=legacy).exists():
        return "cán bộ, công chức năm 2018 đã có sẵn, bỏ qua"
    rng = ctx.rng
    _classify(ctx, legacy, None, LEGACY_VALID_TO)
    positions = _positions_on(CENSUS_DAY)
    maker = People(ctx)
    officials: list[Official] = []
    postings: list[Posting] = []
    qualifications: list[Qualification] = []
    total = sum(ctx.scaled(t["count"]) for t in TARGETS.values()) + ctx.scaled(PART_TIME)
    bar.reset(total=total)

    def start_date(category: str) -> dt.date:
        if category == Category.CADRE:  # most were elected in 2016; some began a term earlier
            return (
                dt.date(2016, 7, 1)
                if rng.random() < 0.7
                else dt.date(2011, 7, 1) + dt.timedelta(days=rng.randint(0, 1800))
            )
        return dt.date(2008, 1, 1) + dt.timedelta(
            days=rng.randint(0, (CENSUS_DAY - dt.date(2008, 1, 1)).days)
        )

    def end_date() -> dt.date | None:
        # Many stay until the reform; others leave between the census and then.
        return (
            None if rng.random() < 0.55 else CENSUS_DAY + dt.timedelta(days=rng.randint(30, 2500))
        )

    singles: dict[str, list[str]] = {
        Category.CADRE: [
            "party_secretary",
            "council_chair",
            "committee_chair",
            "front_chair",
            "youth_secretary",
            "women_chair",
            "farmers_chair",
            "veterans_chair",
            "party_deputy",
            "council_vice_chair",
            "committee_vice_chair",
        ],
        Category.CIVIL_SERVANT: [
            "military_commander",
            "office_statistics",
            "land_construction",
            "finance_accounting",
            "justice_civil_status",
            "culture_society",
            "office_statistics",
            "land_construction",
            "finance_accounting",
            "justice_civil_status",
            "culture_society",
        ],
    }
    extras: dict[str, list[str]] = {
        Category.CADRE: ["committee_vice_chair", "party_deputy"],
        Category.CIVIL_SERVANT: [
            "office_statistics",
            "land_construction",
            "finance_accounting",
            "justice_civil_status",
            "culture_society",
        ],
    }
    for category, target in TARGETS.items():
        count = ctx.scaled(target["count"])
        per_commune = _spread(count, legacy, ctx)
        group: list[Official] = []
        for commune in legacy:
            codes = singles[category][: per_commune[commune]]
            codes += [
                rng.choice(extras[category]) for _ in range(per_commune[commune] - len(codes))
            ]
            for code in codes:
                home = commune if rng.random() < 0.8 else rng.choice(legacy)
                person = maker.make(
                    age_on=CENSUS_DAY,
                    low=26,
                    high=58,
                    home=home,
                    minority_share=0.25
                    if "A Lưới" in (commune.parent.name if commune.parent else "")
                    else 0.02,
                )
                group.append(person)
                kind = PostingKind.ELECTED if category == Category.CADRE else PostingKind.RECRUITED
                postings.append(
                    _posting(
                        person,
                        positions[code],
                        commune,
                        start=start_date(category),
                        end=end_date(),
                        kind=kind,
                    )
                )
        officials.extend(group)
        qualifications.extend(
            _qualify(
                ctx,
                group,
                university=exact_count(count, target["university"]),
                college=exact_count(count, target["college"]),
                politics=exact_count(count, target["politics"]),
                by=CENSUS_DAY,
            )
        )
        bar.update(count)

    # Part-time workers: about twenty per commune, the rest in villages (three paid titles each,
    # plus the other village roles that existed before Decree 34/2019).
    part_time = ctx.scaled(PART_TIME)
    hamlets = list(
        Hamlet.objects.filter(commune__in=legacy).select_related("commune").order_by("pk")
    )
    commune_share = min(part_time, len(legacy) * PART_TIME_COMMUNE_EACH)
    hamlet_share = part_time - commune_share
    if hamlets and hamlet_share > len(hamlets) * 9:
        commune_share, hamlet_share = part_time - len(hamlets) * 9, len(hamlets) * 9
    commune_codes = [
        code for code, p in positions.items() if p.category == Category.PART_TIME_COMMUNE
    ]
    for commune, n in _spread(commune_share, legacy, ctx).items():
        for index in range(n):
            person = maker.make(age_on=CENSUS_DAY, low=22, high=60, home=commune)
            officials.append(person)
            postings.append(
                _posting(
                    person,
                    positions[commune_codes[index % len(commune_codes)]],
                    commune,
                    start=start_date(Category.PART_TIME_COMMUNE),
                    end=end_date(),
                    kind=PostingKind.CONTRACTED,
                )
            )
    village_codes = [
        "hamlet_party_secretary",
        "hamlet_head",
        "hamlet_front_head",
        "hamlet_deputy_head",
        "hamlet_police",
        "hamlet_women_head",
        "hamlet_farmers_head",
        "hamlet_veterans_head",
        "hamlet_youth_secretary",
    ]
    if hamlets:
        for hamlet, n in _spread(hamlet_share, hamlets, ctx).items():
            for code in village_codes[:n]:
                person = maker.make(age_on=CENSUS_DAY, low=25, high=65, home=hamlet.commune)
                officials.append(person)
                postings.append(
                    _posting(
                        person,
                        positions[code],
                        hamlet.commune,
                        hamlet=hamlet,
                        start=dt.date(2017, 1, 1) + dt.timedelta(days=rng.randint(0, 500)),
                        end=None,
                        kind=PostingKind.ELECTED,
                    )
                )
    bar.update(part_time)
    Official.objects.bulk_create(officials, batch_size=2000)
    Posting.objects.bulk_create(postings, batch_size=2000)
    Qualification.objects.bulk_create(qualifications, batch_size=2000)
    ctx.data["officials_2018"] = len(officials)
    return (
        f"{len(officials)} người năm 2018: {ctx.scaled(1597)} cán bộ, {ctx.scaled(1759)} công chức, "
        f"{part_time} người hoạt động không chuyên trách"
    )


def _current(ctx: DemoContext, bar: tqdm[Any]) -> str:
    current = _communes(valid_from=REFORM_DATE)
    if Posting.objects.filter(unit__in=current).exists():
        return "cán bộ, công chức hiện nay đã có sẵn, bỏ qua"
    rng = ctx.rng
    _classify(ctx, current, REFORM_DATE, None)
    positions = _positions_on(REFORM_DATE)
    maker = People(ctx)
    today = timezone.localdate()
    predecessors: dict[int, list[int]] = defaultdict(list)
    for link in Lineage.objects.filter(successor__in=current):
        predecessors[link.successor_id].append(link.predecessor_id)
    # People whose commune post ran until the reform, by the commune they served.
    carried: dict[int, list[Posting]] = defaultdict(list)
    for posting in Posting.objects.filter(
        province_code=PROVINCE_CODE,
        valid_to=LEGACY_VALID_TO,
        position__category__in=[Category.CADRE, Category.CIVIL_SERVANT],
    ).select_related("official", "position"):
        carried[posting.unit_id].append(posting)
    cadre_codes = [
        "party_secretary",
        "party_deputy",
        "council_chair",
        "council_vice_chair",
        "committee_chair",
        "committee_vice_chair",
        "committee_vice_chair",
        "front_chair",
    ]
    staff_codes = (
        ["office_chief", "economic_head", "culture_society_head", "service_centre_director"]
        + ["office_staff"] * 6
        + ["economic_staff"] * 6
        + ["culture_society_staff"] * 5
        + ["service_centre_staff"] * 6
    )
    scale_staff = max(1, round(len(staff_codes) * ctx.scale)) if ctx.scale < 1 else len(staff_codes)
    officials: list[Official] = []
    postings: list[Posting] = []
    qualifications: list[Qualification] = []
    rotations: list[tuple[Official, Unit, Unit, Position]] = []
    bar.reset(total=len(current))
    used: set[int] = set()
    for commune in current:
        pool = [
            p
            for unit_id in predecessors[commune.pk]
            for p in carried[unit_id]
            if p.official_id not in used
        ]
        rng.shuffle(pool)
        for code in cadre_codes + staff_codes[:scale_staff]:
            position = positions[code]
            rotate = code == "party_secretary" and rng.random() < 0.3
            if pool and not rotate and rng.random() < 0.75:
                person = pool.pop().official
                used.add(person.pk)
                kind = (
                    PostingKind.ELECTED
                    if position.category == Category.CADRE
                    else PostingKind.APPOINTED
                )
                postings.append(
                    _posting(person, position, commune, start=REFORM_DATE, end=None, kind=kind)
                )
                continue
            home = rng.choice(current) if rotate else commune
            person = maker.make(age_on=today, low=27, high=55, home=home)
            officials.append(person)
            if rotate:
                rotations.append((person, home, commune, position))
            else:
                kind = (
                    PostingKind.ELECTED
                    if position.category == Category.CADRE
                    else PostingKind.RECRUITED
                )
                postings.append(
                    _posting(person, position, commune, start=REFORM_DATE, end=None, kind=kind)
                )
            # New people mostly meet the standard; about one in eight does not yet.
            level = Education.UNIVERSITY if rng.random() < 0.88 else Education.COLLEGE
            qualifications.append(
                Qualification(
                    official=person,
                    kind=QualificationKind.EDUCATION,
                    level=level,
                    awarded_on=person.birth_date + dt.timedelta(days=365 * 23),
                    institution="Đại học Huế",
                )
            )
            if position.category == Category.CADRE or rng.random() < 0.4:
                qualifications.append(
                    Qualification(
                        official=person,
                        kind=QualificationKind.POLITICS,
                        level=Politics.INTERMEDIATE if rng.random() < 0.85 else Politics.ELEMENTARY,
                        awarded_on=person.birth_date + dt.timedelta(days=365 * 30),
                    )
                )
        bar.update(1)
    # Village paid titles on the villages carried into the new communes.
    village_postings = []
    for hamlet in Hamlet.objects.filter(commune__in=current).select_related("commune"):
        for code in ["hamlet_party_secretary", "hamlet_head", "hamlet_front_head"]:
            person = maker.make(age_on=today, low=30, high=65, home=hamlet.commune)
            officials.append(person)
            village_postings.append(
                _posting(
                    person,
                    positions[code],
                    hamlet.commune,
                    hamlet=hamlet,
                    start=REFORM_DATE,
                    end=None,
                    kind=PostingKind.ELECTED,
                )
            )
    # Party secretaries rotated in from another commune, for at least 36 months.
    rotation_postings = [
        _posting(
            person, position, commune, start=REFORM_DATE, end=None, kind=PostingKind.ROTATED_IN
        )
        for person, _home, commune, position in rotations
    ]
    Official.objects.bulk_create(officials, batch_size=2000)
    Qualification.objects.bulk_create(qualifications, batch_size=2000)
    Posting.objects.bulk_create(postings + rotation_postings + village_postings, batch_size=2000)
    Rotation.objects.bulk_create(
        [
            Rotation(
                official=person,
                from_unit=home,
                to_unit=commune,
                posting=posting,
                start=REFORM_DATE,
                planned_end=add_months(REFORM_DATE, 60),
            )
            for (person, home, commune, _position), posting in zip(
                rotations, rotation_postings, strict=True
            )
        ]
    )
    _files(ctx, [p.official for p in postings[:200]] + [person for person, *_rest in rotations])
    evaluated = _evaluations(ctx)
    return (
        f"{len(current)} xã, phường mới: {len(postings) + len(rotation_postings)} vị trí cấp xã "
        f"({len(rotations)} bí thư luân chuyển), {len(village_postings)} chức danh ở thôn, tổ dân phố; "
        f"{evaluated} lượt đánh giá 2024–2025"
    )


def _files(ctx: DemoContext, people: list[Official]) -> None:
    """Family members and awards for some of today's officials, so that personnel files read fully."""
    rng = ctx.rng
    faker = Faker("vi_VN")
    faker.seed_instance(ctx.seed + 1)
    relatives, records = [], []
    for person in people:
        family = person.full_name.split()[0]
        spouse_sex_female = person.sex == Sex.MALE
        relatives.append(
            Relative(
                official=person,
                relation="Vợ" if spouse_sex_female else "Chồng",
                full_name=(
                    f"{faker.last_name()} Thị {faker.first_name_female()}"
                    if spouse_sex_female
                    else f"{faker.last_name()} Văn {faker.first_name_male()}"
                ),
                birth_year=person.birth_date.year + rng.randint(-3, 3),
                occupation=rng.choice(["Giáo viên", "Nông dân", "Kinh doanh", "Y sĩ"]),
            )
        )
        relatives.append(
            Relative(
                official=person,
                relation="Con",
                full_name=f"{family} {rng.choice(_MIDDLE_MALE)} {faker.first_name_male()}",
                birth_year=min(person.birth_date.year + rng.randint(24, 34), 2024),
                occupation="Học sinh",
            )
        )
        if rng.random() < 0.3:
            records.append(
                Record(
                    official=person,
                    kind="award",
                    decided_on=dt.date(2024, 12, 20),
                    text="Giấy khen của Chủ tịch UBND tỉnh vì thành tích xuất sắc năm 2024",
                )
            )
    Relative.objects.bulk_create(relatives)
    Record.objects.bulk_create(records)


def _evaluations(ctx: DemoContext) -> int:
    rng = ctx.rng
    rows = []
    for year, day in ((2024, dt.date(2024, 12, 15)), (2025, dt.date(2025, 12, 15))):
        postings = (
            Posting.objects.filter(
                province_code=PROVINCE_CODE,
                position__category__in=[Category.CADRE, Category.CIVIL_SERVANT],
            )
            .filter(valid_from__lte=day)
            .filter(valid_to__isnull=True)
            if year == 2025
            else Posting.objects.filter(
                province_code=PROVINCE_CODE,
                position__category__in=[Category.CADRE, Category.CIVIL_SERVANT],
                valid_from__lte=day,
                valid_to=LEGACY_VALID_TO,
            )
        )
        seen: set[int] = set()
        for posting in postings.order_by("pk"):
            if posting.official_id in seen:
                continue
            seen.add(posting.official_id)
            roll = rng.random()
            grade = (
                Grade.EXCELLENT
                if roll < 0.14
                else Grade.GOOD
                if roll < 0.8
                else Grade.COMPLETED
                if roll < 0.97
                else Grade.NOT_COMPLETED
            )
            rows.append(
                Evaluation(
                    official_id=posting.official_id,
                    unit_id=posting.unit_id,
                    year=year,
                    grade=grade,
                    explanation=f"Xếp loại {Grade(grade).label.lower()} (Nghị định 90/2020/NĐ-CP)",
                    province_code=PROVINCE_CODE,
                )
            )
    Evaluation.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _rules(ctx: DemoContext, bar: tqdm[Any]) -> str:
    from gandan.core.rules import load_all

    summary = load_all()
    bar.update(1)
    created = sum(summary.created.values())
    return f"thêm {created} quy định" if created else "quy định đã có sẵn"


STAGES = [
    Stage("Quy định dạng dữ liệu (chức danh, tiêu chuẩn, định mức, đánh giá)", _rules),
    Stage("Cán bộ, công chức Huế năm 2018", _legacy_2018),
    Stage("Bộ máy xã, phường mới và đánh giá 2024–2025", _current),
]
