"""Who is acting: the one rule every service uses to stamp a change with its user."""

from __future__ import annotations

from typing import Any


def acting_user(actor: Any) -> Any:
    """The signed-in user behind ``actor``, or None for an anonymous resident or a command.

    Services accept ``request.user`` (possibly ``AnonymousUser``), a ``User`` or None, and store
    the user only when one is signed in.
    """
    return actor if getattr(actor, "is_authenticated", False) else None
