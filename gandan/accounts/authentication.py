"""API authentication: DRF's token authentication with its one query written as SQL."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from gandan.core import statements


@cache
def _token_sql() -> str:
    user_model = get_user_model()
    return (
        f"SELECT {statements.columns(user_model, 'u')} FROM {Token._meta.db_table} t "  # noqa: S608 - names from the models
        f'JOIN {user_model._meta.db_table} u ON u.id = t.user_id WHERE t."key" = %s'
    )


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's ``TokenAuthentication``, answering the same: every request of a program asks it,
    and the ORM takes longer to write ``Token.objects.select_related("user").get(key=…)``
    than the database takes to answer (a prepared statement: see ``core.statements``). The
    token comes back with ``created`` deferred (read from the database if something asks)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        found = statements.fetch(_token_sql(), [key], get_user_model())
        if not found:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = found[0][0]
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token = Token.from_db(user._state.db, ["key", "user_id"], [key, user.pk])
        token.user = user
        return user, token
