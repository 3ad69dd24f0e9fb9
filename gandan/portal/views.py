from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.template import loader
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


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 403 page: what was refused (the view's reason), the roles the person holds today,
    and whom to ask for another. A form refused for its CSRF token has a page of its own
    (``403_csrf.html``)."""
    reason = str(exception) if exception is not None and str(exception) else ""
    memberships = current_memberships(request.user) if request.user.is_authenticated else []
    body = loader.render_to_string(
        "403.html", {"reason": reason, "memberships": memberships}, request=request
    )
    return HttpResponseForbidden(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused for its CSRF token (``CSRF_FAILURE_VIEW``): reload and send again."""
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))
