from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gandan.accounts.access import current_memberships, units_in_scope
from gandan.geo import selectors
from gandan.geo.models import Level


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
    scope = units_in_scope(request.user, as_of=today).valid_on(today)
    return render(
        request,
        "portal/staff_home.html",
        {
            "memberships": memberships,
            "today": today,
            "communes_in_scope": scope.filter(level=Level.COMMUNE).count(),
            "can_write": units_in_scope(request.user, as_of=today, for_write=True).exists(),
        },
    )
