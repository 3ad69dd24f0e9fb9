"""The user's memberships and scope are read once a request (``core.request_memo``), and never
kept beyond it: a role granted shows on the next request, and in the same request after the
grant; outside a request every call reads the database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gandan.accounts.access import current_memberships, has_scope, units_in_scope
from gandan.accounts.models import Role
from gandan.accounts.services import membership_grant
from gandan.core import request_memo
from gandan.core.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


def membership_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum('FROM "accounts_membership"' in q["sql"] for q in queries.captured_queries)


def test_a_page_reads_the_users_memberships_once(personas):
    # The menu alone asks five rules of the officer's roles; the desk asks more.
    assert membership_queries(personas.client("official_a"), "/onestop/") == 1


def test_outside_a_request_nothing_is_kept(personas):
    user = membership_grant(
        username="new_officer", role=Role.VIEWER, unit=personas.commune_a, password=PASSWORD
    ).user
    assert not has_scope(user, for_write=True)
    membership_grant(username="new_officer", role=Role.COMMUNE_OFFICER, unit=personas.commune_a)
    assert has_scope(user, for_write=True)
    assert units_in_scope(user, for_write=True).filter(pk=personas.commune_a.pk).exists()


def test_within_a_request_a_grant_is_seen_after_it(personas):
    token = request_memo._memo.set({})
    try:
        user = membership_grant(
            username="new_officer", role=Role.VIEWER, unit=personas.commune_a, password=PASSWORD
        ).user
        assert [m.role for m in current_memberships(user)] == [Role.VIEWER]
        with CaptureQueriesContext(connection) as queries:
            current_memberships(user)
            assert not has_scope(user, for_write=True)
        assert not any("accounts_membership" in q["sql"] for q in queries.captured_queries)
        membership_grant(username="new_officer", role=Role.COMMUNE_OFFICER, unit=personas.commune_a)
        assert has_scope(user, for_write=True)
    finally:
        request_memo._memo.reset(token)
