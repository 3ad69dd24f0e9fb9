"""Demo stage: one account per role, in Huế's current units."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from tqdm import tqdm

from gandan.accounts.models import Role, User
from gandan.accounts.services import membership_grant
from gandan.core.demo import DEMO_PASSWORD, PROVINCE_CODE, DemoContext, Stage
from gandan.geo.models import Hamlet, HamletKind
from gandan.geo.selectors import unit_by_code

COMMUNE_A = "19789"  # Phường Thuận Hóa
COMMUNE_B = "19777"  # Phường Vỹ Dạ

# (username, full name, role, unit code)
ACCOUNTS = [
    ("lanhdao.hue", "Nguyễn Văn Minh", Role.PROVINCE_LEADER, PROVINCE_CODE),
    ("chuyenvien.hue", "Trần Thị Lan", Role.PROVINCE_SPECIALIST, PROVINCE_CODE),
    ("chutich.thuanhoa", "Lê Quang Huy", Role.COMMUNE_LEADER, COMMUNE_A),
    ("congchuc.thuanhoa", "Phan Thị Hoa", Role.COMMUNE_OFFICER, COMMUNE_A),
    ("truongthon.thuanhoa", "Hồ Văn Tâm", Role.VILLAGE_HEAD, COMMUNE_A),
    ("xem.thuanhoa", "Đặng Thị Mai", Role.VIEWER, COMMUNE_A),
    ("congchuc.vyda", "Võ Minh Đức", Role.COMMUNE_OFFICER, COMMUNE_B),
]


def _accounts(ctx: DemoContext, bar: tqdm[Any]) -> str:
    today = timezone.localdate()
    bar.reset(total=len(ACCOUNTS))
    created = 0
    for username, full_name, role, code in ACCOUNTS:
        unit = unit_by_code(code, as_of=today)
        ctx.logins.append((username, str(role.label), unit.name))
        bar.update(1)
        if User.objects.filter(username=username).exists():
            continue
        hamlet = None
        if role == Role.VILLAGE_HEAD:
            hamlet = (
                Hamlet.objects.valid_on(today)
                .filter(commune=unit, kind=HamletKind.TO_DAN_PHO)
                .order_by("pk")
                .first()
                or Hamlet.objects.valid_on(today).filter(commune=unit).order_by("pk").first()
            )
            if hamlet is None:
                continue  # at a tiny scale the commune may have no village to head
            ctx.logins[-1] = (username, str(role.label), f"{hamlet.name}, {unit.name}")
        membership_grant(
            username=username,
            role=role,
            unit=unit,
            password=DEMO_PASSWORD,
            hamlet=hamlet,
            full_name=full_name,
        )
        created += 1
    return f"{created} tài khoản mới, {len(ACCOUNTS) - created} đã có"


STAGES = [Stage("Tài khoản trình diễn", _accounts)]
