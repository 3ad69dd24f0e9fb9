"""The helpers every app shares: the acting user, identifier checks, the rate limiter, events."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.exceptions import ValidationError
from django.db import models
from django.test import RequestFactory

from gandan.core.actors import acting_user
from gandan.core.events import event_kinds, label_of
from gandan.core.ratelimit import Limit, client_address
from gandan.core.validators import check_citizen_id, check_phone


def test_an_anonymous_actor_is_stored_as_nobody(django_user_model):
    user = django_user_model(username="a")
    assert acting_user(user) is user
    assert acting_user(AnonymousUser()) is None
    assert acting_user(None) is None


@pytest.mark.parametrize(
    "value",
    [
        "12345678901",
        "1234567890123",
        "04612345678x",
        "１２３４５６７８９０１２",
        "٠٤٦١٢٣٤٥٦٧٨٩",
        "097123456789",
        "000123456789",
    ],
)
def test_it_refuses_a_citizen_id_that_is_not_12_ascii_digits_with_a_real_birth_place(value):
    with pytest.raises(ValidationError) as error:
        check_citizen_id(value, field="applicant_id")
    assert list(error.value.message_dict) == ["applicant_id"]
    assert error.value.error_dict["applicant_id"][0].code == "citizen_id"


def test_a_citizen_id_is_kept_without_spaces_and_may_be_optional():
    assert check_citizen_id(" 046 123 456 789 ") == "046123456789"
    assert check_citizen_id("", required=False) == ""
    with pytest.raises(ValidationError, match="Cần nhập số định danh"):
        check_citizen_id("")


def test_a_phone_number_is_kept_as_digits():
    assert check_phone("090.123.4567") == "0901234567"
    assert check_phone("+84 90 123 4567") == "+84901234567"
    assert check_phone("") == ""
    for bad in ("12345", "09O1234567", "０９０１２３４５６７"):
        with pytest.raises(ValidationError, match="Số điện thoại không hợp lệ"):
            check_phone(bad)


def test_a_limit_counts_per_client_address_and_refuses_past_its_count():
    limit = Limit("test", count=2, window_s=60)
    one = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")
    two = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")
    assert client_address(one) == "10.0.0.1"
    assert [limit.check_and_hit(one) for _ in range(3)] == [False, False, True]
    assert limit.check_and_hit(two) is False


def test_two_processes_count_the_same_attempts_through_the_shared_cache(settings):
    # A second process opens its own cache object on the same files: it sees the first's count.
    limit = Limit("shared", count=1, window_s=60)
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.3")
    limit.hit(request)
    config = settings.CACHES["default"]
    assert "filebased" in config["BACKEND"]
    other_process = FileBasedCache(config["LOCATION"], {})
    assert other_process.get("ratelimit:shared:10.0.0.3")[1] == 1
    assert caches["default"].get("ratelimit:shared:10.0.0.3")[1] == 1


def test_a_window_opens_with_the_first_attempt_and_closes_after_its_length():
    import time_machine

    limit = Limit("window", count=2, window_s=600)
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.4")
    with time_machine.travel(1_800_000_000 + 590, tick=False) as clock:
        assert [limit.check_and_hit(request) for _ in range(3)] == [False, False, True]
        clock.shift(599)  # the window opened 599 s ago: still shut
        assert limit.check_and_hit(request) is True
        clock.shift(2)
        assert limit.check_and_hit(request) is False


def test_an_event_kind_has_one_wording():
    @event_kinds
    class Kinds(models.TextChoices):
        SAMPLE = "test.sample", "Mẫu thử"

    assert label_of("test.sample") == "Mẫu thử"
    assert label_of("test.unknown") == "test.unknown"
    with pytest.raises(ValueError, match="declared twice"):

        @event_kinds
        class Other(models.TextChoices):
            SAMPLE = "test.sample", "Khác"


@pytest.mark.django_db
def test_an_event_of_an_undeclared_kind_is_refused():
    from django.db import transaction

    from gandan.core.services import event_record
    from gandan.geo.models import Unit

    unit = Unit.objects.first()
    with transaction.atomic(), pytest.raises(ValueError, match="not declared"):
        event_record(kind="free.string", subject=unit)


def test_no_module_writes_an_event_with_a_free_string():
    from pathlib import Path

    import gandan

    root = Path(gandan.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and re.search(r'\bkind="[a-z_]+\.[a-z_.]+"', path.read_text())
    ]
    assert offenders == []
