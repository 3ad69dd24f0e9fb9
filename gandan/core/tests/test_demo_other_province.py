"""An installation of another province (GANDAN_PROVINCE) does not get Huế's demo people."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gandan.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_is_refused_in_another_provinces_installation(settings):
    settings.GANDAN_PROVINCE = "48"
    with pytest.raises(CommandError, match="Dữ liệu trình diễn là của Thành phố Huế"):
        call_command("demo", "--scale", "0.1", "--no-progress")
    assert not User.objects.exists()


def test_make_run_in_another_province_keeps_the_units_and_says_how_to_grant(settings):
    settings.GANDAN_PROVINCE = "48"
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "mã 48 (GANDAN_PROVINCE)" in out.getvalue()
    assert "gandan grant" in out.getvalue()
    assert not User.objects.exists()
