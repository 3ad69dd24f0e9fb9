"""Villages and residential groups: creation, checks, and the move to successor communes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gandan.core.models import Event
from gandan.geo import selectors
from gandan.geo.models import REFORM_DATE, Hamlet, HamletKind, Lineage, LineageKind
from gandan.geo.services import hamlet_create, hamlets_carry_over

pytestmark = pytest.mark.django_db
BEFORE = dt.date(2025, 6, 30)


def legacy_commune_of_thuan_hoa():
    thuan_hoa = selectors.unit_by_code("19789", as_of=REFORM_DATE)
    return thuan_hoa, selectors.predecessors(thuan_hoa)[0].predecessor


def test_a_hamlet_of_a_legacy_commune_moves_to_its_successor():
    thuan_hoa, legacy = legacy_commune_of_thuan_hoa()
    old = hamlet_create(commune=legacy, name="Tổ dân phố 7", kind=HamletKind.TO_DAN_PHO)
    assert old.valid_to == BEFORE  # it cannot outlive its commune
    assert hamlets_carry_over(effective_date=REFORM_DATE, province_code="46") == 1
    new = old.next
    assert new.commune == thuan_hoa
    assert new.valid_from == REFORM_DATE
    assert selectors.unit_counts(thuan_hoa, as_of=REFORM_DATE).to_dan_pho == 1
    assert selectors.unit_counts(legacy, as_of=BEFORE).to_dan_pho == 1
    # Running it again carries nothing twice.
    assert hamlets_carry_over(effective_date=REFORM_DATE, province_code="46") == 0


def test_a_divided_communes_hamlets_go_to_the_primary_successor_unless_told_otherwise():
    link = (
        Lineage.objects.filter(kind=LineageKind.SPLIT, is_primary=True)
        .select_related("predecessor")
        .first()
    )
    divided = link.predecessor
    other = Lineage.objects.filter(predecessor=divided, is_primary=False).first().successor
    first = hamlet_create(commune=divided, name="Thôn Một", kind=HamletKind.THON)
    second = hamlet_create(commune=divided, name="Thôn Hai", kind=HamletKind.THON)
    hamlets_carry_over(effective_date=REFORM_DATE, overrides={second.pk: other.pk})
    assert Hamlet.objects.get(previous=first).commune == link.successor
    assert Hamlet.objects.get(previous=second).commune == other


def test_an_override_to_a_unit_that_is_not_a_successor_is_refused_and_changes_nothing():
    _thuan_hoa, legacy = legacy_commune_of_thuan_hoa()
    hamlet = hamlet_create(commune=legacy, name="Tổ dân phố 9", kind=HamletKind.TO_DAN_PHO)
    elsewhere = selectors.unit_by_code("20014", as_of=REFORM_DATE)
    before = Hamlet.objects.count()
    with pytest.raises(ValidationError):
        hamlets_carry_over(effective_date=REFORM_DATE, overrides={hamlet.pk: elsewhere.pk})
    assert Hamlet.objects.count() == before


def test_a_hamlet_needs_a_name_a_known_kind_and_a_commune():
    thuan_hoa, _legacy = legacy_commune_of_thuan_hoa()
    with pytest.raises(ValidationError) as error:
        hamlet_create(commune=thuan_hoa, name="   ", kind=HamletKind.THON)
    assert "không được để trống" in str(error.value)
    with pytest.raises(ValidationError):
        hamlet_create(commune=thuan_hoa, name="Thôn A", kind="lang_xom")
    with pytest.raises(ValidationError):
        hamlet_create(commune=thuan_hoa.parent, name="Thôn A", kind=HamletKind.THON)
    assert not Hamlet.objects.filter(name="Thôn A").exists()


def test_creating_a_hamlet_writes_an_event_in_the_same_transaction():
    thuan_hoa, _legacy = legacy_commune_of_thuan_hoa()
    hamlet = hamlet_create(commune=thuan_hoa, name="Tổ dân phố 3", kind=HamletKind.TO_DAN_PHO)
    event = Event.objects.get(subject_type="geo.hamlet", subject_id=str(hamlet.pk))
    assert event.kind == "hamlet.created"
    assert event.province_code == "46"


def test_a_hamlet_cannot_start_on_a_day_its_commune_does_not_exist():
    _thuan_hoa, legacy = legacy_commune_of_thuan_hoa()
    with pytest.raises(ValidationError):
        hamlet_create(commune=legacy, name="Thôn Mới", kind=HamletKind.THON, valid_from=REFORM_DATE)
