"""Who sees and changes what: scope across the 2025 reform, by role and by period."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import Client
from django.utils import timezone

from gandan.accounts.access import (
    access_hamlet,
    access_unit_by_code,
    access_unit_for_staff,
    hamlets_in_scope,
    is_staff_user,
    units_in_scope,
)
from gandan.accounts.models import Role, User
from gandan.accounts.services import membership_grant
from gandan.geo import selectors
from gandan.geo.models import Hamlet, HamletKind, Level, Unit
from gandan.geo.services import hamlet_create, hamlets_carry_over

pytestmark = pytest.mark.django_db

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)


def _ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def _predecessor_ids(unit):
    return {link.predecessor_id for link in selectors.predecessors(unit)}


def _legacy(code):
    return selectors.unit_by_code(code, as_of=BEFORE)


def _raises_404(function, *args, **kwargs):
    with pytest.raises(Http404) as caught:
        function(*args, **kwargs)
    return str(caught.value)


# --- The province leader ----------------------------------------------------------------


def test_the_province_leader_sees_the_legacy_and_the_current_hue_units(personas):
    scope = units_in_scope(personas.leader)
    legacy_hue, current_hue = _legacy("46"), personas.province
    assert {legacy_hue.pk, current_hue.pk} <= _ids(scope)
    # Everything of both structures below Huế: 9 districts and 133 communes, then 40 communes.
    assert scope.valid_on(BEFORE).filter(level=Level.DISTRICT).count() == 9
    assert scope.valid_on(BEFORE).filter(level=Level.COMMUNE).count() == 133
    assert scope.valid_on(AFTER).filter(level=Level.COMMUNE).count() == 40
    assert _ids(scope) >= {personas.commune_a.pk, personas.commune_b.pk}
    assert _ids(scope) >= _predecessor_ids(personas.commune_a) | _predecessor_ids(
        personas.commune_b
    )


def test_the_province_leader_sees_nothing_of_da_nang(personas):
    scope = units_in_scope(personas.leader)
    assert set(scope.values_list("province_code", flat=True)) == {"46"}
    da_nang = Unit.objects.filter(code="48", level=Level.PROVINCE)
    assert da_nang.count() == 2  # legacy and current
    for unit in da_nang:
        assert not scope.filter(pk=unit.pk).exists()
        _raises_404(access_unit_for_staff, personas.leader, unit.pk)
    da_nang_commune = Unit.objects.filter(province_code="48", level=Level.COMMUNE).first()
    _raises_404(access_unit_for_staff, personas.leader, da_nang_commune.pk)


def test_the_province_leader_reads_every_hamlet_of_hue_but_writes_none(personas):
    for hamlet in (personas.hamlet_a, personas.hamlet_b):
        assert access_hamlet(personas.leader, hamlet.pk) == hamlet
        _raises_404(access_hamlet, personas.leader, hamlet.pk, for_write=True)
    assert not units_in_scope(personas.leader, for_write=True).exists()
    assert not hamlets_in_scope(personas.leader, for_write=True).exists()
    _raises_404(access_unit_for_staff, personas.leader, personas.commune_a.pk, for_write=True)


# --- A commune official -----------------------------------------------------------------


def test_commune_a_official_sees_thuan_hoa_and_exactly_the_wards_merged_into_it(personas):
    predecessors = _predecessor_ids(personas.commune_a)
    # Phú Nhuận (the legacy 19789), Phường Đúc, Vĩnh Ninh, Phú Hội, Trường An, Phước Vĩnh.
    assert len(predecessors) == 6
    assert _legacy("19789").pk in predecessors
    assert _ids(units_in_scope(personas.official_a)) == {personas.commune_a.pk} | predecessors
    for unit_id in predecessors:
        assert access_unit_for_staff(personas.official_a, unit_id).pk == unit_id


def test_commune_a_official_sees_nothing_of_vy_da_or_the_wards_merged_into_it(personas):
    scope = _ids(units_in_scope(personas.official_a))
    of_b = {personas.commune_b.pk} | _predecessor_ids(personas.commune_b)
    assert _legacy("19777").pk in of_b
    assert not scope & of_b
    for unit_id in of_b:
        _raises_404(access_unit_for_staff, personas.official_a, unit_id)
    # Nor what lies above: the legacy district covered both A's and B's wards.
    legacy_district = _legacy("19789").parent
    assert legacy_district.level == Level.DISTRICT
    assert legacy_district.pk not in scope
    assert personas.province.pk not in scope


def test_commune_b_official_sees_nothing_of_thuan_hoa(personas):
    scope = _ids(units_in_scope(personas.official_b))
    assert scope == {personas.commune_b.pk} | _predecessor_ids(personas.commune_b)
    assert not scope & ({personas.commune_a.pk} | _predecessor_ids(personas.commune_a))


def test_commune_a_official_writes_its_hamlets(personas):
    assert access_hamlet(personas.official_a, personas.hamlet_a.pk, for_write=True) == (
        personas.hamlet_a
    )
    assert access_unit_for_staff(personas.official_a, personas.commune_a.pk, for_write=True) == (
        personas.commune_a
    )


def test_commune_a_official_reaches_the_hamlets_of_the_wards_merged_into_thuan_hoa(personas):
    phu_hoi = _legacy("19786")
    assert phu_hoi.pk in _predecessor_ids(personas.commune_a)
    legacy_hamlet = hamlet_create(commune=phu_hoi, name="Tổ 5", kind=HamletKind.TO_DAN_PHO)
    assert legacy_hamlet.valid_to == BEFORE
    assert access_hamlet(personas.official_a, legacy_hamlet.pk) == legacy_hamlet
    assert legacy_hamlet in hamlets_in_scope(personas.official_a)
    _raises_404(access_hamlet, personas.official_b, legacy_hamlet.pk)


def test_commune_a_official_does_not_reach_the_hamlets_of_the_wards_merged_into_vy_da(personas):
    xuan_phu = _legacy("19792")
    assert xuan_phu.pk in _predecessor_ids(personas.commune_b)
    legacy_hamlet = hamlet_create(commune=xuan_phu, name="Tổ 7", kind=HamletKind.TO_DAN_PHO)
    _raises_404(access_hamlet, personas.official_a, legacy_hamlet.pk)
    assert access_hamlet(personas.official_b, legacy_hamlet.pk) == legacy_hamlet


def test_it_refuses_another_communes_hamlet_exactly_like_a_missing_one(personas):
    missing_hamlet = (Hamlet.objects.order_by("-pk").values_list("pk", flat=True).first()) + 1000
    refused = _raises_404(access_hamlet, personas.official_a, personas.hamlet_b.pk)
    missing = _raises_404(access_hamlet, personas.official_a, missing_hamlet)
    assert refused == missing
    assert personas.hamlet_b not in hamlets_in_scope(personas.official_a)
    assert personas.hamlet_a not in hamlets_in_scope(personas.official_b)


def test_it_refuses_another_communes_unit_exactly_like_a_missing_one(personas):
    missing_unit = Unit.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    refused = _raises_404(access_unit_for_staff, personas.official_a, personas.commune_b.pk)
    missing = _raises_404(access_unit_for_staff, personas.official_a, missing_unit)
    assert refused == missing


# --- Read-only roles --------------------------------------------------------------------


def test_the_viewer_reads_commune_a_but_cannot_write_anything(personas):
    viewer = personas.viewer_a
    assert access_unit_for_staff(viewer, personas.commune_a.pk) == personas.commune_a
    assert access_hamlet(viewer, personas.hamlet_a.pk) == personas.hamlet_a
    _raises_404(access_unit_for_staff, viewer, personas.commune_a.pk, for_write=True)
    _raises_404(access_hamlet, viewer, personas.hamlet_a.pk, for_write=True)
    assert not units_in_scope(viewer, for_write=True).exists()
    assert not hamlets_in_scope(viewer, for_write=True).exists()


def test_the_viewer_of_commune_a_sees_nothing_of_commune_b(personas):
    _raises_404(access_unit_for_staff, personas.viewer_a, personas.commune_b.pk)
    _raises_404(access_hamlet, personas.viewer_a, personas.hamlet_b.pk)


def test_anonymous_visitors_have_no_scope(personas):
    anonymous = AnonymousUser()
    assert not units_in_scope(anonymous).exists()
    assert not hamlets_in_scope(anonymous).exists()
    _raises_404(access_hamlet, anonymous, personas.hamlet_a.pk)
    _raises_404(access_unit_for_staff, anonymous, personas.commune_a.pk)
    assert not is_staff_user(anonymous)


# --- Periods ----------------------------------------------------------------------------


def test_a_membership_that_has_ended_gives_no_scope(personas):
    today = timezone.localdate()
    ended = membership_grant(
        username="former_official",
        role=Role.COMMUNE_OFFICER,
        unit=personas.commune_a,
        valid_from=today - dt.timedelta(days=60),
        valid_to=today - dt.timedelta(days=1),
    ).user
    assert not units_in_scope(ended).exists()
    assert not hamlets_in_scope(ended).exists()
    _raises_404(access_hamlet, ended, personas.hamlet_a.pk)
    _raises_404(access_unit_for_staff, ended, personas.commune_a.pk)
    assert not is_staff_user(ended)
    # On a day of its period, the same membership did cover the commune.
    during = today - dt.timedelta(days=10)
    assert personas.commune_a in units_in_scope(ended, as_of=during)
    assert access_hamlet(ended, personas.hamlet_a.pk, for_write=True, as_of=during)


def test_a_membership_that_has_not_started_gives_no_scope_yet(personas):
    today = timezone.localdate()
    future = membership_grant(
        username="future_official",
        role=Role.COMMUNE_OFFICER,
        unit=personas.commune_a,
        valid_from=today + dt.timedelta(days=1),
    ).user
    assert not units_in_scope(future).exists()
    _raises_404(access_hamlet, future, personas.hamlet_a.pk)
    assert personas.commune_a in units_in_scope(future, as_of=today + dt.timedelta(days=1))


def test_an_ended_membership_does_not_widen_a_current_one(personas):
    today = timezone.localdate()
    membership_grant(
        username="official_a",
        role=Role.COMMUNE_OFFICER,
        unit=personas.commune_b,
        valid_from=today - dt.timedelta(days=60),
        valid_to=today - dt.timedelta(days=1),
    )
    _raises_404(access_unit_for_staff, personas.official_a, personas.commune_b.pk)
    _raises_404(access_hamlet, personas.official_a, personas.hamlet_b.pk)
    assert access_hamlet(personas.official_a, personas.hamlet_a.pk) == personas.hamlet_a


# --- Village heads ----------------------------------------------------------------------


def _village_head(personas, hamlet=None):
    hamlet = hamlet or personas.hamlet_a
    return membership_grant(
        username="truong_to_1", role="village_head", unit=hamlet.commune, hamlet=hamlet
    ).user


def test_a_village_head_writes_only_his_own_hamlet(personas):
    neighbour = hamlet_create(
        commune=personas.commune_a, name="Tổ dân phố 2", kind=HamletKind.TO_DAN_PHO
    )
    head = _village_head(personas)
    assert access_hamlet(head, personas.hamlet_a.pk, for_write=True) == personas.hamlet_a
    _raises_404(access_hamlet, head, neighbour.pk, for_write=True)
    _raises_404(access_hamlet, head, personas.hamlet_b.pk, for_write=True)
    _raises_404(access_hamlet, head, personas.hamlet_b.pk)
    assert list(hamlets_in_scope(head, for_write=True)) == [personas.hamlet_a]


def test_a_village_head_cannot_write_at_the_level_of_his_commune(personas):
    head = _village_head(personas)
    # He may look at his commune's page …
    assert access_unit_for_staff(head, personas.commune_a.pk) == personas.commune_a
    # … but writing for the whole commune (adding hamlets, for one) is not his to do.
    assert not units_in_scope(head, for_write=True).filter(pk=personas.commune_a.pk).exists()
    _raises_404(access_unit_for_staff, head, personas.commune_a.pk, for_write=True)


def test_a_village_head_cannot_add_a_hamlet_to_his_commune_through_the_page(personas):
    head = _village_head(personas)
    client = Client()
    client.force_login(head)
    before = Hamlet.objects.count()
    response = client.post(
        f"/units/{personas.commune_a.pk}/hamlets/new/",
        {"name": "Tổ dân phố 9", "kind": HamletKind.TO_DAN_PHO},
    )
    assert response.status_code == 404
    assert Hamlet.objects.count() == before


def test_a_village_head_keeps_his_village_across_the_reform(personas):
    phu_hoi = _legacy("19786")
    old_row = hamlet_create(commune=phu_hoi, name="Tổ 12", kind=HamletKind.TO_DAN_PHO)
    assert hamlets_carry_over(province_code="46") == 1
    new_row = Hamlet.objects.get(previous=old_row)
    assert new_row.commune == personas.commune_a
    head = _village_head(personas, hamlet=old_row)
    assert access_hamlet(head, new_row.pk, for_write=True) == new_row
    assert access_hamlet(head, old_row.pk, for_write=True) == old_row
    _raises_404(access_hamlet, head, personas.hamlet_a.pk, for_write=True)


# --- Superusers -------------------------------------------------------------------------


def test_a_superuser_sees_and_writes_everything(personas):
    root = User.objects.create_superuser("root", password=None)
    assert units_in_scope(root).count() == Unit.objects.count()
    assert units_in_scope(root, for_write=True).count() == Unit.objects.count()
    assert hamlets_in_scope(root).count() == Hamlet.objects.count()
    assert access_hamlet(root, personas.hamlet_b.pk, for_write=True) == personas.hamlet_b
    da_nang = selectors.unit_by_code("48", as_of=AFTER)
    assert access_unit_for_staff(root, da_nang.pk, for_write=True) == da_nang
    assert is_staff_user(root)


def test_a_deactivated_superuser_sees_nothing(personas):
    root = User.objects.create_superuser("root", password=None, is_active=False)
    assert not units_in_scope(root).exists()
    assert not hamlets_in_scope(root).exists()
    _raises_404(access_hamlet, root, personas.hamlet_a.pk)


def test_a_deactivated_user_keeps_no_scope(personas):
    personas.official_a.is_active = False
    personas.official_a.save()
    assert not units_in_scope(personas.official_a).exists()


# --- One unit by its code: the same answer as the whole scope --------------------------


@pytest.mark.parametrize("day", [BEFORE, AFTER])
@pytest.mark.parametrize("for_write", [False, True])
def test_a_unit_by_code_is_reached_exactly_when_the_scope_holds_it(personas, day, for_write):
    codes = set(Unit.objects.filter(province_code="46").values_list("code", flat=True))
    codes |= {"48", "20194", "99999"}  # Đà Nẵng, a commune of Đà Nẵng, no such unit
    anonymous, reached = AnonymousUser(), 0
    for user in (
        personas.official_a,
        personas.official_b,
        personas.viewer_a,
        personas.leader,
        anonymous,
    ):
        scope = units_in_scope(user, as_of=day, for_write=for_write).valid_on(day)
        expected = {code: scope.filter(code=code).order_by("level").first() for code in codes}
        got = {
            code: access_unit_by_code(user, code, as_of=day, for_write=for_write) for code in codes
        }
        assert got == expected, user
        reached += sum(unit is not None for unit in got.values())
    assert reached > 0  # someone reaches units: the comparison is not empty
