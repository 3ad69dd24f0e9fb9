"""Counts and lineage from the real ``vietnamadminunits`` data, loaded once per test database."""

import datetime as dt

import pytest
from django.core.management import call_command

from gandan.geo import selectors
from gandan.geo.models import Level, Lineage, LineageKind, Unit
from gandan.geo.services import units_load

pytestmark = pytest.mark.django_db

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)


def test_hue_before_the_reform_has_9_districts_and_133_communes():
    hue = selectors.unit_by_code("46", as_of=BEFORE)
    counts = selectors.unit_counts(hue, as_of=BEFORE)
    assert hue.name == "Thành phố Huế"
    assert counts.by_level == {"district": 9, "commune": 133}
    assert counts.by_type["phuong"] == 48
    assert counts.by_type["xa"] == 78
    assert counts.by_type["thi_tran"] == 7


def test_hue_after_the_reform_has_40_communes_and_no_district():
    hue = selectors.unit_by_code("46", as_of=AFTER)
    counts = selectors.unit_counts(hue, as_of=AFTER)
    assert counts.by_level == {"commune": 40}
    assert counts.by_type == {"xa": 19, "phuong": 21}


def test_the_country_has_63_then_34_provinces():
    assert selectors.unit_counts(None, as_of=BEFORE).by_level["province"] == 63
    assert selectors.unit_counts(None, as_of=AFTER).by_level["province"] == 34
    assert selectors.unit_counts(None, as_of=BEFORE).by_level["district"] == 696
    assert "district" not in selectors.unit_counts(None, as_of=AFTER).by_level


def test_the_country_has_10040_legacy_local_units_and_3321_communes():
    before = selectors.unit_counts(None, as_of=BEFORE)
    # 10,035 xã/phường/thị trấn plus five island districts that had no commune below them
    # (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo): 10,040 units at the bottom tier.
    assert before.by_level["commune"] == 10_035
    island_districts = Unit.objects.valid_on(BEFORE).filter(
        level=Level.DISTRICT, children__isnull=True
    )
    assert island_districts.count() == 5
    assert before.by_level["commune"] + island_districts.count() == 10_040
    after = selectors.unit_counts(None, as_of=AFTER)
    assert after.by_level["commune"] == 3_321
    assert after.by_type["dac_khu"] == 13


def test_every_bottom_tier_legacy_unit_has_a_successor():
    legacy = Unit.objects.valid_on(BEFORE)
    communes = legacy.filter(level=Level.COMMUNE)
    islands = legacy.filter(level=Level.DISTRICT, children__isnull=True)
    assert not communes.filter(successor_links__isnull=True).exists()
    assert not islands.filter(successor_links__isnull=True).exists()
    assert not Unit.objects.valid_on(AFTER).filter(predecessor_links__isnull=True).exists()


def test_lineage_goes_both_ways_for_a_merged_hue_commune():
    thuan_hoa = selectors.unit_by_code("19789", as_of=AFTER)
    predecessors = {link.predecessor.name for link in selectors.predecessors(thuan_hoa)}
    assert len(predecessors) >= 2
    legacy_unit = selectors.predecessors(thuan_hoa)[0].predecessor
    assert legacy_unit.valid_to == BEFORE
    assert thuan_hoa.pk in {link.successor_id for link in selectors.successors(legacy_unit)}


def test_a_divided_commune_has_several_successors_and_one_primary():
    divided = Unit.objects.filter(successor_links__kind=LineageKind.SPLIT).distinct().first()
    links = selectors.successors(divided)
    assert len(links) >= 2
    assert sum(link.is_primary for link in links) == 1
    assert all(link.kind == LineageKind.SPLIT for link in links)


def test_provinces_merge_da_nang_took_quang_nam():
    da_nang = selectors.unit_by_code("48", as_of=AFTER)
    names = {link.predecessor.name for link in selectors.predecessors(da_nang)}
    assert names == {"Thành phố Đà Nẵng", "Tỉnh Quảng Nam"}
    hue_links = selectors.predecessors(selectors.unit_by_code("46", as_of=AFTER))
    assert [(link.predecessor.code, link.kind) for link in hue_links] == [
        ("46", LineageKind.CONTINUE)
    ]


def test_an_island_district_became_a_special_zone():
    con_dao = Unit.objects.get(level=Level.DISTRICT, name="Huyện Côn Đảo")
    assert [link.successor.name for link in selectors.successors(con_dao)] == ["Đặc khu Côn Đảo"]


def test_a_code_can_name_a_legacy_and_a_current_unit():
    assert selectors.unit_by_code("19777", as_of=BEFORE).valid_to == BEFORE
    assert selectors.unit_by_code("19777", as_of=AFTER).valid_from == AFTER
    with pytest.raises(selectors.UnitNotFound):
        selectors.unit_by_code("99999", as_of=AFTER)


def test_loading_again_changes_nothing_and_says_so():
    before = (Unit.objects.count(), Lineage.objects.count())
    summary = units_load()
    assert not summary.changed
    assert (Unit.objects.count(), Lineage.objects.count()) == before
    from io import StringIO

    out = StringIO()
    call_command("load_units", stdout=out)
    assert "Không có thay đổi" in out.getvalue()


def test_loading_repairs_a_unit_edited_by_hand():
    unit = Unit.objects.get(level=Level.COMMUNE, code="19789", valid_from=AFTER)
    Unit.objects.filter(pk=unit.pk).update(name="Sai tên")
    summary = units_load()
    assert summary.updated["commune"] == 1
    unit.refresh_from_db()
    assert unit.name == "Phường Thuận Hóa"
    assert unit.search_name == "phuong thuan hoa"


def test_search_ignores_diacritics_and_case():
    names = [u.name for u in selectors.search_units("thuan hoa", as_of=AFTER)]
    assert "Phường Thuận Hóa" in names
    assert "Phường Thuận Hóa" in [u.name for u in selectors.search_units("THUẬN HOÁ", as_of=AFTER)]
    assert "Đặc khu Côn Đảo" in [u.name for u in selectors.search_units("con dao", as_of=AFTER)]


def test_children_and_descendants_follow_the_date():
    hue_before = selectors.unit_by_code("46", as_of=BEFORE)
    assert selectors.children(hue_before, as_of=BEFORE).count() == 9
    assert selectors.descendants(hue_before, as_of=BEFORE).count() == 142
    assert selectors.children(None, as_of=AFTER).count() == 34
