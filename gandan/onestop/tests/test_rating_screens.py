"""Rating a returned dossier: at the desk's kiosk (staff open it) and by the signed link."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import signing
from django.test import Client, RequestFactory

from gandan.onestop.models import RATING_CRITERIA, RATING_LEVELS, Rating
from gandan.onestop.tests.factories import at
from gandan.onestop.tests.url_matrix_forms import rating_data, received_of_a, returned_of_a
from gandan.onestop.views_public import BAD_RATING_LINK, rating_token, rating_url
from gandan.onestop.views_rating import ALREADY_RATED, NOT_RETURNED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("march_20", "fast_passwords")]


def kiosk(personas: Any, dossier: Any, persona: str = "official_a", data: Any = None) -> Any:
    client = personas.client(persona)
    url = f"/onestop/{dossier.pk}/rate/"
    return client.get(url) if data is None else client.post(url, data)


def test_the_kiosk_shows_nine_criteria_with_five_big_buttons_each(personas) -> None:  # type: ignore[no-untyped-def]
    page = kiosk(personas, returned_of_a(personas)).content.decode()
    assert page.count('type="radio"') == len(RATING_CRITERIA) * len(RATING_LEVELS) == 45
    for code, label in RATING_CRITERIA:
        assert label in page
        assert f'id="criterion-{code}"' in page
    for _level, label in RATING_LEVELS:
        assert page.count(label) >= len(RATING_CRITERIA)


def test_a_rating_at_the_kiosk_is_recorded_and_thanked(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = returned_of_a(personas)
    data = {**rating_data(personas), "attitude": "3"}
    response = kiosk(personas, dossier, data=data)
    assert response.status_code == 200
    assert 'id="rating-thanks"' in response.content.decode()
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.via, rating.scores["attitude"], rating.scores["total_time"]) == ("kiosk", 3, 5)
    assert rating.average == pytest.approx((8 * 5 + 3) / 9)
    assert rating.comment == "Cán bộ nhiệt tình."
    again = kiosk(personas, dossier)
    assert ALREADY_RATED in again.content.decode() and 'type="radio"' not in again.content.decode()


def test_a_missing_or_impossible_level_is_refused_with_the_criterion_named(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = returned_of_a(personas)
    data = rating_data(personas)
    del data["visits"]
    response = kiosk(personas, dossier, data=data)
    assert response.status_code == 400
    assert "Chọn một mức cho “Số lần phải đi lại”." in response.content.decode()
    response = kiosk(personas, dossier, data={**rating_data(personas), "desk": "7"})
    assert response.status_code == 400
    assert "Mức đánh giá “Việc bố trí, sắp xếp" in response.content.decode()
    assert not Rating.objects.exists()


def test_a_dossier_not_yet_returned_cannot_be_rated(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = received_of_a(personas)
    page = kiosk(personas, dossier).content.decode()
    assert NOT_RETURNED in page and 'type="radio"' not in page
    assert kiosk(personas, dossier, data=rating_data(personas)).status_code == 400
    assert not Rating.objects.exists()


@pytest.mark.parametrize("persona", ["viewer_a", "official_b", "leader"])
def test_the_kiosk_is_only_for_staff_who_work_on_the_dossier(personas, persona) -> None:  # type: ignore[no-untyped-def]
    dossier = returned_of_a(personas)
    assert kiosk(personas, dossier, persona).status_code == 404
    assert kiosk(personas, dossier, persona, data=rating_data(personas)).status_code == 404
    assert not Rating.objects.exists()


def test_the_link_lets_the_citizen_rate_without_signing_in(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = returned_of_a(personas)
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    url = rating_url(request, dossier)
    assert url.startswith("http://testserver/dossiers/rate/")
    path = url.removeprefix("http://testserver")
    page = Client().get(path).content.decode()
    assert dossier.code in page and 'type="radio"' in page
    assert dossier.applicant_name not in page
    response = Client().post(path, rating_data(personas))
    assert 'id="rating-thanks"' in response.content.decode()
    assert Rating.objects.get(dossier=dossier).via == "link"


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps(1, salt="another-salt"),
        signing.dumps("1", salt="onestop-rating"),
    ],
)
def test_a_forged_link_is_refused_in_vietnamese(personas, token) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(f"/dossiers/rate/{token}/")
    assert response.status_code == 404
    assert BAD_RATING_LINK in response.content.decode()


def test_a_link_older_than_ninety_days_has_expired(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = returned_of_a(personas)
    token = rating_token(dossier)
    with time_machine.travel(at(2026, 3, 20, 9) + dt.timedelta(days=89), tick=False):
        assert Client().get(f"/dossiers/rate/{token}/").status_code == 200
    with time_machine.travel(at(2026, 3, 20, 9) + dt.timedelta(days=91), tick=False):
        response = Client().post(f"/dossiers/rate/{token}/", rating_data(personas))
    assert response.status_code == 404
    assert not Rating.objects.exists()
