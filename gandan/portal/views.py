from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gandan.accounts.access import communes_in_scope, current_memberships, may_write_somewhere
from gandan.geo import selectors


def home(request: HttpRequest) -> HttpResponse:
    """The public home page: what gandan is and where residents can go."""
    today = timezone.localdate()
    return render(
        request,
        "portal/home.html",
        {"counts": selectors.unit_counts(None, as_of=today), "today": today},
    )


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """After login: the user's roles and the units they cover today."""
    today = timezone.localdate()
    memberships = current_memberships(request.user, today)
    return render(
        request,
        "portal/staff_home.html",
        {
            "memberships": memberships,
            "today": today,
            "communes_in_scope": communes_in_scope(request.user, as_of=today).count(),
            "can_write": may_write_somewhere(request.user, as_of=today),
        },
    )
