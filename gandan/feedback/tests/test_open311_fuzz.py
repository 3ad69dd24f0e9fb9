"""Open311 fuzzed (it has no OpenAPI schema): whatever a client sends, no answer is a 5xx.

Random texts with NUL and other control characters, huge and negative numbers, extreme dates
and long e-mails, in every filter of ``GET requests`` and every field of ``POST requests``
(docs/security.md, "Fuzzing").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import hypothesis
import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from gandan.accounts.models import User
from gandan.accounts.services import token_renew

pytestmark = pytest.mark.slow  # about 10 s a database: make test runs it

FUZZ = hypothesis.settings(
    max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
DATES = st.dates(min_value=dt.date(1, 1, 1)).map(str)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
VALUES = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(max_codepoint=0x20), max_size=20),  # NUL and controls
    NUMBERS,
    DATES,
    st.datetimes().map(lambda d: d.isoformat() + "+14:00"),
    st.builds(lambda n: "a" * n + "@example.vn", st.integers(0, 400)),
    st.sampled_from(["open", "closed", "roads", "hue.gov.vn", "", "PA-0000000"]),
)
FILTERS = ["service_request_id", "service_code", "start_date", "end_date", "status"]
FIELDS = ["service_code", "lat", "long", "address_string", "description", "email"]
FIELDS += ["first_name", "last_name", "phone", "attribute[danger]", "media_url", "device_id"]


@pytest.fixture(autouse=True)
def _many_posts(settings: Any) -> None:
    settings.OPEN311_POSTS_PER_MINUTE = 10**6  # the fuzz is not about the rate limit


@pytest.fixture
def api_key(db: None) -> str:
    return token_renew(user=User.objects.create_user("ung_dung_fuzz"))


@FUZZ
@given(
    params=st.dictionaries(st.sampled_from(FILTERS), VALUES), fmt=st.sampled_from(["json", "xml"])
)
def test_no_filter_of_the_request_list_is_a_server_error(
    db: None, params: dict[str, str], fmt: str
) -> None:
    response = Client(raise_request_exception=False).get(f"/open311/v2/requests.{fmt}", params)
    assert response.status_code < 500, (params, response.content[:300])


@FUZZ
@given(
    code=st.one_of(st.text(max_size=40), st.sampled_from(["PA-0000000", "a\x00b"])),
    fmt=st.sampled_from(["json", "xml"]),
)
def test_no_request_code_is_a_server_error(db: None, code: str, fmt: str) -> None:
    client = Client(raise_request_exception=False)
    for path in (f"requests/{code}.{fmt}", f"services/{code}.{fmt}"):
        response = client.get("/open311/v2/" + path.replace("%", "%25").replace("?", "%3F"))
        assert response.status_code < 500, (path, response.content[:300])


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(FIELDS), VALUES, min_size=1))
def test_no_posted_report_is_a_server_error(api_key: str, fields: dict[str, str]) -> None:
    data = {
        "service_code": "roads",
        "lat": "16.4637",
        "long": "107.5909",
        "description": "Mặt đường bị sụt lún",
        **fields,
        "api_key": api_key,
    }
    response = Client(raise_request_exception=False).post("/open311/v2/requests.json", data)
    assert response.status_code < 500, (fields, response.content[:300])
