from typing import Any

from django.http import HttpRequest


def memberships(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's current roles, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_memberships": []}
    from gandan.accounts.access import current_memberships

    return {"current_memberships": current_memberships(user)}
