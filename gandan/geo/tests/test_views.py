"""The unit screens, as a resident or official sees them."""

import datetime as dt
import re

import pytest

from gandan.geo import selectors
from gandan.geo.services import hamlet_create

pytestmark = pytest.mark.django_db
AFTER = dt.date(2025, 7, 1)


def test_the_browser_lists_provinces_of_the_chosen_date(client):
    page = client.get("/units/", {"as_of": "2025-06-30"}).content.decode()
    assert "Tỉnh Quảng Nam" in page
    page = client.get("/units/", {"as_of": "2025-07-01"}).content.decode()
    assert "Tỉnh Quảng Nam" not in page
    assert "Thành phố Huế" in page


def test_a_malformed_date_gets_a_vietnamese_message_and_todays_tree(client):
    response = client.get("/units/", {"as_of": "31/02/2025"})
    assert response.status_code == 200
    assert "Ngày không hợp lệ" in response.content.decode()


def test_search_without_diacritics_finds_thuan_hoa_as_a_fragment(client):
    response = client.get(
        "/units/search/", {"q": "thuan hoa", "as_of": "2025-07-01"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Phường Thuận Hóa" in body
    assert "<html" not in body


def test_opening_a_node_loads_its_children(client):
    hue = selectors.unit_by_code("46", as_of=AFTER)
    body = client.get(f"/units/{hue.pk}/children/", {"as_of": "2025-07-01"}).content.decode()
    assert body.count('class="node"') == 40


def test_the_unit_page_shows_counts_history_and_a_map(client):
    thuan_hoa = selectors.unit_by_code("19789", as_of=AFTER)
    hamlet_create(commune=thuan_hoa, name="Tổ dân phố 2", kind="to_dan_pho")
    body = client.get(f"/units/{thuan_hoa.pk}/").content.decode()
    assert "Phường Thuận Hóa" in body
    assert "Hình thành từ" in body
    assert "<svg" in body and "<circle" in body
    assert "Tổ dân phố 2" in body


def test_a_legacy_units_page_shows_what_it_became(client):
    hue_before = selectors.unit_by_code("46", as_of=dt.date(2025, 6, 30))
    body = client.get(f"/units/{hue_before.pk}/").content.decode()
    assert "Trở thành" in body
    assert body.count("<circle") == 133
    # Coordinates are numbers for SVG, never localised with a decimal comma.
    assert re.findall(r'<circle cx="([^"]+)" cy="([^"]+)"', body)
    for x, y in re.findall(r'<circle cx="([^"]+)" cy="([^"]+)"', body):
        assert 0 <= float(x) <= 640 and 0 <= float(y) <= 900


def test_a_code_redirects_to_the_unit_of_that_date_and_an_unknown_code_is_404(client):
    response = client.get("/units/code/46/", {"as_of": "2025-06-30"})
    assert response.status_code == 302
    assert response.url.startswith(
        f"/units/{selectors.unit_by_code('46', as_of=dt.date(2025, 6, 30)).pk}/"
    )
    assert client.get("/units/code/00000/").status_code == 404
