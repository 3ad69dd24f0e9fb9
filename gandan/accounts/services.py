"""Writes for users and their roles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from knox.models import AuthToken
from knox.settings import knox_settings

from gandan.accounts.events import AccountEvent
from gandan.accounts.models import Membership, Role, User
from gandan.core.actors import acting_user
from gandan.core.request_memo import forget
from gandan.core.services import event_record
from gandan.geo.models import Hamlet, Level, Unit


def check_role(role: str) -> Role:
    if role not in Role.values:
        known = ", ".join(Role.values)
        raise ValidationError({"role": f"Vai trò không tồn tại: {role!r}. Các vai trò: {known}."})
    return Role(role)


@transaction.atomic
def membership_grant(
    *,
    username: str,
    role: str,
    unit: Unit,
    password: str | None = None,
    hamlet: Hamlet | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    full_name: str = "",
    actor: Any = None,
) -> Membership:
    """Grant ``role`` at ``unit`` to ``username``, creating the user if needed.

    Everything is checked before anything is written: an unknown role, a village head
    without a village of that unit, or a weak password leaves the database as it was.
    """
    checked_role = check_role(role)
    username = username.strip()
    if not username:
        raise ValidationError({"username": "Tên đăng nhập không được để trống."})
    if (
        checked_role in (Role.PROVINCE_LEADER, Role.PROVINCE_SPECIALIST)
        and unit.level != Level.PROVINCE
    ):
        raise ValidationError(
            {"unit": f"Vai trò cấp tỉnh phải gắn với một tỉnh, thành phố; {unit.name} không phải."}
        )
    if (
        checked_role in (Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER, Role.VILLAGE_HEAD)
        and unit.level == Level.PROVINCE
    ):
        raise ValidationError(
            {"unit": f"Vai trò cấp xã phải gắn với một xã, phường; {unit.name} là cấp tỉnh."}
        )
    if checked_role == Role.VILLAGE_HEAD:
        if hamlet is None or hamlet.commune_id != unit.pk:
            raise ValidationError(
                {"hamlet": "Trưởng thôn phải gắn với một thôn, tổ dân phố của đơn vị này."}
            )
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username)
        if full_name:
            parts = full_name.split()
            user.last_name, user.first_name = " ".join(parts[:-1]), parts[-1]
        if password:
            validate_password(password, user)
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        event_record(
            kind=AccountEvent.USER_CREATED,
            subject=user,
            actor=actor,
            province_code=unit.province_code,
        )
    elif password:
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        event_record(
            kind=AccountEvent.PASSWORD_SET,
            subject=user,
            actor=actor,
            province_code=unit.province_code,
        )
    membership = Membership(
        user=user,
        role=checked_role,
        unit=unit,
        hamlet=hamlet,
        valid_from=valid_from,
        valid_to=valid_to,
        created_by=acting_user(actor),
    )
    membership.full_clean()
    membership.save()
    forget()  # the rest of this request reads the new role
    event_record(
        kind=AccountEvent.MEMBERSHIP_GRANTED,
        subject=membership,
        actor=actor,
        province_code=unit.province_code,
        data={"user": username, "role": checked_role.value, "unit": unit.code},
    )
    return membership


@transaction.atomic
def token_issue(*, user: User, days: int | None = None, actor: Any = None) -> str:
    """A new API token for ``user``, returned once: only its digest is kept.

    It expires after ``days`` (the installation's ``GANDAN_API_TOKEN_DAYS`` if not given).
    """
    if days is not None and not 1 <= days <= 3650:
        raise ValidationError({"days": "Thời hạn của mã truy cập phải từ 1 đến 3650 ngày."})
    ttl = dt.timedelta(days=days) if days is not None else knox_settings.TOKEN_TTL
    token, key = AuthToken.objects.create(user=user, expiry=ttl)
    event_record(
        kind=AccountEvent.TOKEN_ISSUED,
        subject=user,
        actor=actor,
        data={"token": token.token_key, "expiry": token.expiry.isoformat()},
    )
    return str(key)


@transaction.atomic
def token_revoke(*, user: User, token_key: str | None = None, actor: Any = None) -> int:
    """Revoke one of ``user``'s API tokens (by its ``token_key``, the first characters shown
    in lists) or, without one, all of them; returns how many stopped working."""
    tokens = AuthToken.objects.filter(user=user)
    if token_key is not None:
        tokens = tokens.filter(token_key=token_key)
    revoked = [str(key) for key in tokens.values_list("token_key", flat=True)]
    if not revoked:
        return 0
    tokens.delete()
    event_record(
        kind=AccountEvent.TOKEN_REVOKED, subject=user, actor=actor, data={"tokens": revoked}
    )
    return len(revoked)


@transaction.atomic
def token_renew(*, user: User, days: int | None = None, actor: Any = None) -> str:
    """Revoke every API token of the user and issue a new one (returned once)."""
    token_revoke(user=user, actor=actor)
    return token_issue(user=user, days=days, actor=actor)


@transaction.atomic
def password_change_record(*, user: User, by_reset: bool) -> None:
    """Record that ``user`` changed their own password (signed in, or through a reset link)."""
    kind = AccountEvent.PASSWORD_RESET if by_reset else AccountEvent.PASSWORD_CHANGED
    event_record(kind=kind, subject=user, actor=user)
