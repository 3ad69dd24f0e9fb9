"""Demo stages for households: Huế's households and the poor and near-poor lists of 2015–2026.

The records are generated household by household and year by year, so that the reports —
computed from the records like any others — give the published figures:

- end-2015 8.36 %, end-2016 7.19 %, end-2017 5.98 % with 17,662 poor and 15,429 near-poor
  (5.22 %), and in 2017 338 fallen back, 1,993 newly poor, 5,908 escaped, none left
  (the seed article);
- end-2021 16,006 (4.93 %), 2022 11,735 (3.56 %), 2023 7,540 (2.27 %), 2024 4,689 (1.40 %)
  under Decree 07/2021 (press).

Figures not published (households of each year but those implied above, the near-poor except
2017, 2018–2020, 2025, the flows other than 2017's) are the generator's own and are marked
as such in ``PLAN``. Reviews up to 2024 are history loaded from the old system, on the legacy
communes; the 2025 review runs through the review services on the 40 new communes and is
decided; the 2026 review (standard of Decree 351/2025) is under way, each commune at its step.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from gandan.core.bulk import insert_rows
from gandan.core.crypto import blind_index
from gandan.core.demo import PROVINCE_CODE, DemoContext, Stage
from gandan.geo.models import REFORM_DATE, Hamlet, Level, Unit
from gandan.geo.sources import LEGACY_VALID_TO
from gandan.households import services
from gandan.households.classification import StandardRules, classify
from gandan.households.models import (
    Area,
    Assessment,
    Household,
    Member,
    Placement,
    PlacementReason,
    Review,
    ReviewEntry,
    ReviewStatus,
    Standing,
    review_date,
)
from gandan.households.services.registry import PLACEMENT_COLUMNS


@dataclass(frozen=True)
class YearPlan:
    households: int
    poor: int
    near_poor: int
    fell_back: int
    newly_poor: int
    left: int
    published: str  # which of the figures are published, and where


# Escaped = poor at start − left + fell back + newly poor − poor (derived, never set).
PLAN: dict[int, YearPlan] = {
    2015: YearPlan(294_000, 24_578, 17_240, 0, 0, 0, "tỉ lệ 8,36 % (bài viết)"),
    2016: YearPlan(295_400, 21_239, 16_420, 0, 1_850, 140, "tỉ lệ 7,19 % (bài viết)"),
    2017: YearPlan(
        295_450,
        17_662,
        15_429,
        338,
        1_993,
        0,
        "17.662 hộ nghèo 5,98 %, 15.429 cận nghèo 5,22 %, 338 tái nghèo, 1.993 phát sinh (bài viết)",
    ),
    2018: YearPlan(303_000, 13_950, 14_300, 420, 1_600, 120, "mô phỏng"),
    2019: YearPlan(310_500, 10_400, 12_900, 300, 1_250, 100, "mô phỏng"),
    2020: YearPlan(317_800, 7_900, 11_600, 260, 1_050, 80, "mô phỏng"),
    2021: YearPlan(324_670, 16_006, 14_900, 2_600, 8_200, 60, "16.006 hộ nghèo, 4,93 % (báo chí)"),
    2022: YearPlan(329_640, 11_735, 13_100, 450, 1_500, 110, "11.735 hộ nghèo, 3,56 % (báo chí)"),
    2023: YearPlan(332_160, 7_540, 11_200, 260, 900, 90, "7.540 hộ nghèo, 2,27 % (báo chí)"),
    2024: YearPlan(334_930, 4_689, 9_650, 170, 560, 60, "4.689 hộ nghèo, 1,40 % (báo chí)"),
    2025: YearPlan(337_200, 3_350, 8_700, 120, 420, 40, "mô phỏng"),
}
OTHER_DISSOLVED = 1_000  # households ending each year off the lists (deaths, merged, moved away)
FIRST_YEAR, DECIDED_YEAR, CURRENT_YEAR = 2015, 2025, 2026

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Hồ", "Đặng", "Huỳnh", "Ngô"]
_FAMILY += ["Bùi", "Dương", "Tôn Nữ", "Hà", "Trương", "Đoàn", "Mai", "Lương", "Cao"]
_MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Quang", "Hữu", "Ngọc", "Thanh", "Công", "Kim"]
_GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hòa", "Hùng", "Hương", "Lan", "Linh"]
_GIVEN += ["Long", "Mai", "Nam", "Nga", "Phúc", "Quý", "Sơn", "Tâm", "Thảo", "Thủy", "Trang"]
_GIVEN += ["Tuấn", "Vân", "Việt", "Xuân", "Yến", "Lộc", "Phương", "Thắng"]
_ETHNIC_FAMILY = ["Hồ", "Kray", "Quỳnh", "Căn", "Nhâm", "Blúp", "Pả", "Ra Pát"]


class _People:
    """Households as parallel lists (index = household), cheap enough for 340,000 of them."""

    def __init__(self) -> None:
        self.hamlet: list[int] = []  # index into hamlets
        self.formed: list[dt.date | None] = []
        self.dissolved: list[dt.date | None] = []
        self.weight: list[float] = []  # propensity to be poor
        self.ethnic: list[bool] = []
        self.farming: list[bool] = []
        self.head: list[str] = []

    def __len__(self) -> int:
        return len(self.hamlet)

    def registered(self, i: int, on: dt.date) -> bool:
        formed, dissolved = self.formed[i], self.dissolved[i]
        return (formed is None or formed <= on) and (dissolved is None or dissolved >= on)


def _pick(ctx: DemoContext, pool: list[int], k: int, weight: Any) -> list[int]:
    """``k`` of ``pool`` drawn without replacement with probability ∝ ``weight(i)``."""
    if k <= 0:
        return []
    if k >= len(pool):
        return list(pool)
    rng = ctx.rng
    return heapq.nsmallest(k, pool, key=lambda i: -math.log(1.0 - rng.random()) / weight(i))


def _day_in(ctx: DemoContext, year: int, first: tuple[int, int], last: tuple[int, int]) -> dt.date:
    start, end = dt.date(year, *first), dt.date(year, *last)
    return start + dt.timedelta(days=ctx.rng.randrange((end - start).days + 1))


def _name(ctx: DemoContext, ethnic: bool) -> str:
    rng = ctx.rng
    family = rng.choice(_ETHNIC_FAMILY if ethnic else _FAMILY)
    return f"{family} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _survey(ctx: DemoContext, rules: StandardRules, area: str, standing: str) -> services.Survey:
    """Answers that classify as ``standing`` under ``rules`` (checked by the caller's classify)."""
    rng = ctx.rng
    lower, upper, _average = rules.lines[area]
    indicators = list(rules.indicators)
    if standing == Standing.POOR:
        if lower is not None and rng.random() < 0.5:
            income = rng.randrange(int(lower * 0.45), lower + 1, 1000)
            lacking = rng.randint(0, 4)
        else:
            floor = (lower or int(upper * 0.4)) + 1000
            income = rng.randrange(floor, upper + 1, 1000)
            lacking = rng.randint(rules.threshold, rules.threshold + 3)
    elif standing == Standing.NEAR_POOR:
        floor = (lower or int(upper * 0.5)) + 1000
        income = rng.randrange(floor, upper + 1, 1000)
        lacking = rng.randint(0, rules.threshold - 1)
    else:
        income = rng.randrange(upper + 1000, int(upper * 2.6), 1000)
        lacking = rng.randint(0, 2)
    return services.Survey(
        income_per_capita=income,
        deprived=rng.sample(indicators, lacking),
        members=rng.choice([1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 7]),
    )


# --- 2015–2024: history on the legacy communes ------------------------------------------------


def _hamlets_of_hue() -> tuple[list[Hamlet], dict[int, int]]:
    legacy = list(
        Hamlet.objects.filter(
            province_code=PROVINCE_CODE, commune__valid_to=LEGACY_VALID_TO
        ).select_related("commune", "commune__parent")
    )
    carried = dict(Hamlet.objects.filter(previous__in=legacy).values_list("previous_id", "pk"))
    return legacy, carried


def _history(ctx: DemoContext, bar: tqdm[Any]) -> str:
    if Household.objects.filter(province_code=PROVINCE_CODE).exists():
        return "hộ gia đình của Huế đã có sẵn, bỏ qua"
    hamlets, _carried = _hamlets_of_hue()
    if not hamlets:
        return "chưa có thôn, tổ dân phố: bỏ qua"
    rng = ctx.rng
    plans = {year: _scaled(ctx, plan) for year, plan in PLAN.items()}
    bar.reset(total=len(plans) + 4)
    # Villages differ: A Lưới's villages and remote thôn are much poorer than city wards.
    size, factor = [], []
    for hamlet in hamlets:
        mountain = hamlet.commune.parent is not None and "A Lưới" in hamlet.commune.parent.name
        urban = hamlet.is_urban
        size.append(rng.uniform(200, 380) if urban else rng.uniform(140, 300))
        base = 0.35 if urban else (4.5 if mountain else 1.0)
        factor.append(base * math.exp(rng.gauss(0, 0.6)))
    mountain_hamlets = {
        i
        for i, h in enumerate(hamlets)
        if h.commune.parent is not None and "A Lưới" in h.commune.parent.name
    }
    people = _People()

    def add(count: int, formed_in: int | None) -> None:
        chosen = rng.choices(range(len(hamlets)), weights=size, k=count)
        for h in chosen:
            ethnic = h in mountain_hamlets and rng.random() < 0.8 or rng.random() < 0.004
            people.hamlet.append(h)
            people.formed.append(
                # before 1 September: on the commune's list when its review opens
                None if formed_in is None else _day_in(ctx, formed_in, (1, 2), (8, 31))
            )
            people.dissolved.append(None)
            people.weight.append(factor[h] * math.exp(rng.gauss(0, 0.8)) * (2 if ethnic else 1))
            people.ethnic.append(ethnic)
            people.farming.append(not hamlets[h].is_urban and rng.random() < 0.6)
            people.head.append(_name(ctx, ethnic))

    lists: dict[int, dict[str, set[int]]] = {}
    ever_poor: set[int] = set()
    first = plans[FIRST_YEAR]
    add(first.households, None)
    for year, plan in sorted(plans.items()):
        on = review_date(year)
        if year > FIRST_YEAR:
            previous = lists[year - 1]
            before = plans[year - 1]
            start = sorted(previous["poor"])
            left = _pick(ctx, start, plan.left, lambda i: 1.0)
            on_lists = previous["poor"] | previous["near_poor"]
            others = [
                i for i in range(len(people)) if i not in on_lists and people.registered(i, on)
            ]
            gone = left + _pick(ctx, others, ctx.scaled(OTHER_DISSOLVED), lambda i: 1.0)
            for i in gone:
                people.dissolved[i] = _day_in(ctx, year, (1, 5), (11, 30))
            add(plan.households - before.households + len(gone), year)
        registered = [i for i in range(len(people)) if people.registered(i, on)]
        assert len(registered) == plan.households, (year, len(registered))  # noqa: S101
        if year == FIRST_YEAR:
            poor = set(_pick(ctx, registered, plan.poor, people.weight.__getitem__))
            escaped: list[int] = []
        else:
            left_set = set(left)
            stay_pool = [i for i in start if i not in left_set]
            escaping = len(stay_pool) + plan.fell_back + plan.newly_poor - plan.poor
            escaped = _pick(ctx, stay_pool, escaping, lambda i: 1.0 / people.weight[i])
            poor = set(stay_pool) - set(escaped)
            back_pool = [i for i in registered if i in ever_poor and i not in previous["poor"]]
            poor |= set(_pick(ctx, back_pool, plan.fell_back, people.weight.__getitem__))
            new_pool = [i for i in registered if i not in ever_poor]
            poor |= set(_pick(ctx, new_pool, plan.newly_poor, people.weight.__getitem__))
        assert len(poor) == plan.poor, (year, len(poor))  # noqa: S101
        ever_poor |= poor
        near = _near_poor(ctx, people, registered, poor, escaped, lists.get(year - 1), plan)
        lists[year] = {"poor": poor, "near_poor": near}
        bar.update(1)
    households = _save_households(ctx, people, hamlets)
    bar.update(1)
    created = _save_history(ctx, people, hamlets, households, lists)
    bar.update(1)
    carried = services.households_carry_over(
        effective_date=REFORM_DATE, province_code=PROVINCE_CODE
    )
    _place_after_reform(people, hamlets, households)
    services.households_place_settle(Household.objects.filter(province_code=PROVINCE_CODE))
    # Fresh bulk loads leave the planner blind; the review stage queries these tables next.
    with connection.cursor() as cursor:
        for table in ("households_household", "households_placement", "households_assessment"):
            cursor.execute(f"ANALYZE {table}")
    bar.update(1)
    ctx.data["households"] = {
        "ids": households,
        "lists": lists,
        "weight": people.weight,
        "plans": plans,
    }
    return (
        f"{len(households)} hộ ({plans[FIRST_YEAR].households} năm 2015, "
        f"{plans[2024].households} năm 2024), {created} kết quả rà soát 2015–2024 trên xã, phường "
        f"cũ, {carried} hộ chuyển sang xã, phường mới từ {REFORM_DATE:%d/%m/%Y}"
    )


def _scaled(ctx: DemoContext, plan: YearPlan) -> YearPlan:
    if ctx.scale == 1:
        return plan
    return YearPlan(
        households=ctx.scaled(plan.households),
        poor=ctx.scaled(plan.poor),
        near_poor=ctx.scaled(plan.near_poor),
        fell_back=ctx.scaled(plan.fell_back),
        newly_poor=ctx.scaled(plan.newly_poor),
        left=ctx.scaled(plan.left),
        published=plan.published,
    )


def _near_poor(
    ctx: DemoContext,
    people: _People,
    registered: list[int],
    poor: set[int],
    escaped: list[int],
    previous: dict[str, set[int]] | None,
    plan: YearPlan,
) -> set[int]:
    """The near-poor list: many who escaped poverty, most of last year's, then others."""
    target = plan.near_poor
    near: set[int] = set()
    near |= set(_pick(ctx, escaped, min(len(escaped) // 2, target // 3), lambda i: 1.0))
    if previous is not None:
        alive = set(registered)
        kept = [i for i in sorted(previous["near_poor"]) if i in alive and i not in poor]
        near |= set(_pick(ctx, kept, min(int(len(kept) * 0.6), target - len(near)), lambda i: 1.0))
    pool = [i for i in registered if i not in poor and i not in near]
    near |= set(_pick(ctx, pool, target - len(near), people.weight.__getitem__))
    return near


def _save_households(ctx: DemoContext, people: _People, hamlets: list[Hamlet]) -> list[int]:
    codes = [f"{hamlets[people.hamlet[i]].commune.code}{i + 1:06d}" for i in range(len(people))]
    insert_rows(
        Household,
        [
            "code",
            "province_code",
            "head_name",
            "ethnic_minority",
            "farming",
            "formed_on",
            "dissolved_on",
            "dissolution_reason",
        ],
        (
            (
                codes[i],
                PROVINCE_CODE,
                people.head[i],
                people.ethnic[i],
                people.farming[i],
                people.formed[i],
                people.dissolved[i],
                "Không còn thành viên cư trú" if people.dissolved[i] else "",
            )
            for i in range(len(people))
        ),
    )
    pk_of = dict(Household.objects.filter(province_code=PROVINCE_CODE).values_list("code", "pk"))
    households = [pk_of[code] for code in codes]

    def placements() -> Any:
        for i, household_id in enumerate(households):
            formed, ends = people.formed[i], people.dissolved[i]
            if formed is not None and formed > LEGACY_VALID_TO:
                continue  # formed after the reform: see _place_after_reform
            hamlet = hamlets[people.hamlet[i]]
            yield (
                household_id,
                hamlet.commune_id,
                hamlet.pk,
                Area.URBAN if hamlet.is_urban else Area.RURAL,
                PROVINCE_CODE,
                PlacementReason.IMPORTED,
                people.ethnic[i],
                formed,
                min(ends, LEGACY_VALID_TO) if ends else LEGACY_VALID_TO,
            )

    insert_rows(Placement, PLACEMENT_COLUMNS, placements())
    return households


ASSESSMENT_FIELDS = [
    "household_id",
    "year",
    "standard_id",
    "review_id",
    "unit_id",
    "hamlet_id",
    "province_code",
    "area",
    "ethnic_minority",
    "farming",
    "members",
    "income_per_capita",
    "deprived",
    "deprivation_count",
    "standing",
    "recorded_on",
    "note",
]


def _place_after_reform(people: _People, hamlets: list[Hamlet], households: list[int]) -> None:
    """Households formed after the reform live in their village's new row."""
    _legacy, carried = _hamlets_of_hue()
    commune_of = dict(
        Hamlet.objects.filter(pk__in=set(carried.values())).values_list("pk", "commune_id")
    )
    rows = []
    for i, formed in enumerate(people.formed):
        if formed is None or formed < REFORM_DATE:
            continue
        hamlet = hamlets[people.hamlet[i]]
        new_hamlet = carried[hamlet.pk]
        rows.append(
            (
                households[i],
                commune_of[new_hamlet],
                new_hamlet,
                Area.URBAN if hamlet.is_urban else Area.RURAL,
                PROVINCE_CODE,
                PlacementReason.FORMED,
                people.ethnic[i],
                formed,
                people.dissolved[i],
            )
        )
    insert_rows(Placement, PLACEMENT_COLUMNS, rows)


def _save_history(
    ctx: DemoContext,
    people: _People,
    hamlets: list[Hamlet],
    households: list[int],
    lists: dict[int, dict[str, set[int]]],
) -> int:
    """Assessments 2015–2024: everyone on a list, and last year's listed households reviewed out."""
    created = 0
    for year in range(FIRST_YEAR, DECIDED_YEAR):
        rules = services.rules_for_year(year)
        on = review_date(year)
        current, previous = lists[year], lists.get(year - 1, {"poor": set(), "near_poor": set()})
        reviewed = current["poor"] | current["near_poor"]
        reviewed |= {
            i for i in previous["poor"] | previous["near_poor"] if people.registered(i, on)
        }
        rows = []
        for i in sorted(reviewed):
            hamlet = hamlets[people.hamlet[i]]
            rows.append(
                _assessment_row(
                    ctx,
                    rules,
                    household_id=households[i],
                    year=year,
                    unit_id=hamlet.commune_id,
                    hamlet_id=hamlet.pk,
                    area=Area.URBAN if hamlet.is_urban else Area.RURAL,
                    ethnic=people.ethnic[i],
                    farming=people.farming[i],
                    standing=_standing_in(current, i),
                    recorded_on=on - dt.timedelta(days=ctx.rng.randrange(3, 30)),
                )
            )
        created += insert_rows(Assessment, ASSESSMENT_FIELDS, rows)
    return created


def _standing_in(lists: dict[str, set[int]], i: int) -> str:
    if i in lists["poor"]:
        return Standing.POOR
    return Standing.NEAR_POOR if i in lists["near_poor"] else Standing.NOT_POOR


def _assessment_row(
    ctx: DemoContext,
    rules: StandardRules,
    *,
    household_id: int,
    year: int,
    unit_id: int,
    hamlet_id: int | None,
    area: str,
    ethnic: bool,
    farming: bool,
    standing: str,
    recorded_on: dt.date,
) -> tuple[Any, ...]:
    """A history row, classified by the same function as every other (never set by hand)."""
    survey = _survey(ctx, rules, area, standing)
    result = classify(
        rules, area=area, income=survey.income_per_capita, deprived=survey.deprived, farming=farming
    )
    # Off the lists, a farm household may classify as of average living standard.
    expected = {standing, Standing.AVERAGE} if standing == Standing.NOT_POOR else {standing}
    assert result.standing in expected, (result, standing, survey)  # noqa: S101
    codes = [code for code in rules.indicators if code in survey.deprived]
    return (
        household_id,
        year,
        rules.pk,
        None,
        unit_id,
        hamlet_id,
        PROVINCE_CODE,
        area,
        ethnic,
        farming,
        survey.members,
        survey.income_per_capita,
        ";".join(codes),
        len(codes),
        result.standing,
        recorded_on,
        "Dữ liệu rà soát chuyển từ hệ thống cũ",
    )


# --- 2025 (decided) and 2026 (under way) on the new communes --------------------------------


def _reviews(ctx: DemoContext, bar: tqdm[Any]) -> str:
    data = ctx.data.get("households")
    if data is None:
        return "bỏ qua (hộ gia đình đã có sẵn)"
    communes = list(
        Unit.objects.filter(
            province_code=PROVINCE_CODE, level=Level.COMMUNE, valid_from=REFORM_DATE
        ).order_by("code")
    )
    bar.reset(total=2 * len(communes))
    ids: list[int] = data["ids"]
    index = {household_id: i for i, household_id in enumerate(ids)}
    lists = data["lists"]
    decided = _review_year(ctx, communes, DECIDED_YEAR, lists, index, bar)
    under_way = _review_year(ctx, communes, CURRENT_YEAR, lists, index, bar)
    _members(ctx, ids, lists[DECIDED_YEAR])
    _requests(ctx, communes)
    return (
        f"rà soát {DECIDED_YEAR}: {decided['decided']} xã, phường đã quyết định; "
        f"rà soát {CURRENT_YEAR}: {under_way['steps']}"
    )


def _standing_2026(ctx: DemoContext, reason: str) -> str:
    roll = ctx.rng.random()
    if reason == ReviewEntry.Reason.POOR:
        return Standing.POOR if roll < 0.75 else Standing.NEAR_POOR if roll < 0.92 else "not_poor"
    if reason == ReviewEntry.Reason.NEAR_POOR:
        return Standing.NEAR_POOR if roll < 0.65 else Standing.POOR if roll < 0.75 else "not_poor"
    return Standing.POOR if roll < 0.45 else Standing.NEAR_POOR if roll < 0.8 else "not_poor"


def _review_year(
    ctx: DemoContext,
    communes: list[Unit],
    year: int,
    lists: dict[int, dict[str, set[int]]],
    index: dict[int, int],
    bar: tqdm[Any],
) -> dict[str, Any]:
    rng = ctx.rng
    rules = services.rules_for_year(year)
    on = review_date(year)
    opened = dt.date(year, 9, 1)
    # 2025: everyone reaches the decision. 2026 (today's review): communes spread over the steps.
    steps = [ReviewStatus.DECIDED] * len(communes)
    if year == CURRENT_YEAR:
        weights = [
            (ReviewStatus.LISTING, 3),
            (ReviewStatus.SURVEYING, 11),
            (ReviewStatus.MEETINGS, 12),
            (ReviewStatus.POSTING, 9),
            (ReviewStatus.DECIDED, 5),
        ]
        steps = [status for status, n in weights for _ in range(n)]
        rng.shuffle(steps)
    placed = defaultdict(list)
    for household_id, unit_id in Placement.objects.valid_on(on).values_list(
        "household_id", "unit_id"
    ):
        placed[unit_id].append(household_id)
    target = lists.get(year)
    if target is not None:
        wanted = target["poor"] | target["near_poor"]
        listed_before = lists[year - 1]["poor"] | lists[year - 1]["near_poor"]
    counts: dict[str, int] = defaultdict(int)
    for commune, step in zip(communes, steps, strict=False):
        households = placed.get(commune.pk, [])
        requests: list[Household] = []
        if target is not None:
            requests = [
                Household(pk=h)
                for h in households
                if index[h] in wanted and index[h] not in listed_before
            ]
        else:
            candidates = [h for h in households if rng.random() < 0.012]
            requests = [Household(pk=h) for h in candidates]
        with transaction.atomic():
            review = services.review_open(
                unit=commune, year=year, on=opened, requests=_reload(requests)
            )
            counts[step] += 1
            if step != ReviewStatus.LISTING:
                _survey_and_meet(ctx, review, rules, target, index, step, on)
        bar.update(1)
    return {
        "decided": counts[ReviewStatus.DECIDED],
        "steps": ", ".join(
            f"{counts[status]} {ReviewStatus(status).label.lower()}"
            for status in ReviewStatus.values
            if counts[status]
        ),
    }


def _reload(households: list[Household]) -> list[Household]:
    return list(Household.objects.filter(pk__in=[h.pk for h in households]))


def _survey_and_meet(
    ctx: DemoContext,
    review: Review,
    rules: StandardRules,
    target: dict[str, set[int]] | None,
    index: dict[int, int],
    step: str,
    on: dt.date,
) -> None:
    rng = ctx.rng
    year = review.year
    entries = list(review.entries.values_list("household_id", "hamlet_id", "reason"))
    places = dict(
        Placement.objects.valid_on(review.started_on)
        .filter(household_id__in=[e[0] for e in entries])
        .values_list("household_id", "area")
    )
    partial = step == ReviewStatus.SURVEYING
    surveys = []
    for household_id, _hamlet_id, reason in entries:
        if partial and rng.random() < 0.35:
            continue
        standing: str
        if target is not None:
            i = index[household_id]
            standing = (
                Standing.POOR
                if i in target["poor"]
                else Standing.NEAR_POOR
                if i in target["near_poor"]
                else Standing.NOT_POOR
            )
        else:
            standing = _standing_2026(ctx, reason)
        surveys.append((household_id, _survey(ctx, rules, places[household_id], standing)))
    surveyed_on = dt.date(year, 10, rng.randint(1, 25))
    services.review_surveys_record(review=review, surveys=surveys, recorded_on=surveyed_on)
    if partial:
        return
    hamlets = sorted({hamlet for _h, hamlet, _r in entries if hamlet is not None})
    meet_all = step != ReviewStatus.MEETINGS
    held = dt.date(year, 11, rng.randint(1, 8))
    for hamlet_id in hamlets:
        if not meet_all and rng.random() < 0.4:
            continue
        hamlet = Hamlet.objects.get(pk=hamlet_id)
        present = rng.randint(35, 140)
        # About one village in thirty does not reach a majority the first time.
        agree = (
            rng.randint(present // 4, present // 2)
            if rng.random() < 0.035
            else rng.randint(present // 2 + 1, present)
        )
        meeting = services.village_meeting_record(
            review=review,
            hamlet=hamlet,
            held_on=held,
            chaired_by=_name(ctx, ethnic=False),
            supervised_by=_name(ctx, ethnic=False),
            present=present,
            agree=agree,
            minutes="Họp bình xét công khai danh sách hộ nghèo, hộ cận nghèo.",
        )
        if not meeting.accepted and meet_all:
            services.village_meeting_record(
                review=review,
                hamlet=hamlet,
                held_on=held + dt.timedelta(days=7),
                chaired_by=meeting.chaired_by,
                supervised_by=meeting.supervised_by,
                present=present,
                agree=rng.randint(present // 2 + 1, present),
                minutes="Họp lại sau khi khảo sát lại các hộ có ý kiến.",
            )
    if step == ReviewStatus.MEETINGS:
        return
    services.review_post(review=review, posting_from=dt.date(year, 11, 20))
    if step == ReviewStatus.DECIDED:
        services.review_decide(
            review=review,
            decision_number=f"{rng.randint(120, 980)}/QĐ-UBND",
            decided_on=dt.date(year, 12, 1) if year < CURRENT_YEAR else dt.date(year, 11, 26),
        )


def _members(ctx: DemoContext, ids: list[int], lists: dict[str, set[int]]) -> None:
    """Members of the households on the decided lists (the ones officials open most)."""
    rng = ctx.rng
    households = Household.objects.in_bulk([ids[i] for i in lists["poor"] | lists["near_poor"]])
    rows = []
    serial = 0
    for household in households.values():
        head_birth = dt.date(rng.randint(1945, 1995), rng.randint(1, 12), rng.randint(1, 28))
        family = household.head_name.split()[0]
        size = rng.choice([1, 2, 3, 3, 4, 4, 5, 6])
        for n in range(size):
            serial += 1
            relation = "head" if n == 0 else "spouse" if n == 1 else "child"
            if n == 0:
                name, birth = household.head_name, head_birth
            elif n == 1:
                name = _name(ctx, household.ethnic_minority)
                birth = head_birth + dt.timedelta(days=rng.randint(-1500, 1500))
            else:
                name = f"{family} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
                birth = dt.date(
                    min(head_birth.year + rng.randint(20, 40), 2024),
                    rng.randint(1, 12),
                    rng.randint(1, 28),
                )
            sex = "female" if " Thị " in f" {name} " or rng.random() < 0.45 else "male"
            century = 0 if birth.year < 2000 else 2
            digit = century + (1 if sex == "female" else 0)
            citizen_id = f"046{digit}{birth.year % 100:02d}{serial:06d}"
            rows.append(
                Member(
                    household=household,
                    full_name=name,
                    birth_date=birth,
                    sex=sex,
                    relation=relation,
                    citizen_id=citizen_id,
                    citizen_id_index=blind_index(citizen_id),
                )
            )
    Member.objects.bulk_create(rows, batch_size=5000)


def _requests(ctx: DemoContext, communes: list[Unit]) -> None:
    """Requests for a regular review (Mẫu 04) in the last months: most decided, some pending."""
    rng = ctx.rng
    today = timezone.localdate()
    for commune in communes:
        living = sorted(
            Placement.objects.filter(unit=commune, valid_to__isnull=True).values_list(
                "household_id", flat=True
            )
        )
        chosen = rng.sample(living, min(len(living), rng.randint(0, 3)))
        for household in Household.objects.filter(pk__in=chosen).order_by("pk"):
            received = today - dt.timedelta(days=rng.randint(3, 70))
            request = services.request_receive(
                household=household,
                received_on=received,
                asks=rng.choice(["enter", "enter", "leave"]),
                reason="Gia đình có người ốm đau dài ngày, thu nhập giảm."
                if rng.random() < 0.7
                else "Gia đình đã có việc làm ổn định, đề nghị thoát nghèo.",
            )
            if request.due_on < today and rng.random() < 0.9:
                services.request_decide(
                    request=request,
                    decided_on=min(request.due_on, today),
                    answer="Qua xác minh, thu nhập của hộ cao hơn chuẩn cận nghèo.",
                )


STAGES = [
    Stage("Hộ gia đình và kết quả rà soát hộ nghèo 2015–2024", _history),
    Stage("Rà soát hộ nghèo 2025 (đã quyết định) và 2026 (đang thực hiện)", _reviews),
]
