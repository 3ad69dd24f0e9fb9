"""The client address behind (trusted) proxies."""

import pytest
from django.test import RequestFactory

from gandan.core.clients import client_address, client_ip


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # no proxy trusted: header ignored
        (["10.0.0.1"], "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # not from the proxy
        (["10.0.0.1"], "10.0.0.1", "198.51.100.1", "198.51.100.1"),
        # A client's own X-Forwarded-For in front is not believed: the hop the proxy added is.
        (["10.0.0.1"], "10.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        # Two proxies in a row, given as a network.
        (["10.0.0.0/24"], "10.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (["10.0.0.1"], "10.0.0.1", "", "10.0.0.1"),  # the proxy itself, no header
        (["10.0.0.1"], "10.0.0.1", "garbage", "10.0.0.1"),
        (["::1"], "::1", "2001:db8::5", "2001:db8::5"),
        (["10.0.0.1"], "10.0.0.1", "198.51.100.1:5555", "198.51.100.1"),
    ],
)
def test_the_client_address(settings, trusted, remote, forwarded, expected):
    settings.GANDAN_TRUSTED_PROXIES = trusted
    assert client_address(_request(remote, forwarded)) == expected


def test_no_address_is_unknown_and_none_for_the_lockout():
    request = RequestFactory().get("/", REMOTE_ADDR="")
    assert client_address(request) == "unknown"
    assert client_ip(request) is None


def test_an_api_throttle_counts_by_the_same_address(settings, db):
    from gandan.core.throttles import AnonRateThrottle

    settings.GANDAN_TRUSTED_PROXIES = []
    request = _request("203.0.113.7", "198.51.100.9")
    assert AnonRateThrottle().get_ident(request) == "203.0.113.7"
