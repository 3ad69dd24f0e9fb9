"""Screens for the unit registry: browser, search, unit page, hamlets."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gandan.accounts.access import access_hamlet, access_unit_for_staff, may_edit_hamlets
from gandan.geo import selectors, services
from gandan.geo.forms import AsOfForm, HamletForm
from gandan.geo.maps import unit_map
from gandan.geo.models import Level


def _as_of(request: HttpRequest) -> tuple[AsOfForm, dt.date]:
    form = AsOfForm(request.GET)
    as_of = timezone.localdate()
    if form.is_valid() and form.cleaned_data["as_of"]:
        as_of = form.cleaned_data["as_of"]
    return form, as_of


def unit_browser(request: HttpRequest) -> HttpResponse:
    """The country's units as a tree on a chosen date, with a search box."""
    form, as_of = _as_of(request)
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    context = {
        "form": form,
        "as_of": as_of,
        "provinces": selectors.children(None, as_of=as_of).order_by("code"),
        "results": selectors.search_units(query, as_of=as_of) if query else None,
        "query": query,
        "counts": selectors.unit_counts(None, as_of=as_of),
    }
    return render(request, "geo/browser.html", context)


def unit_search(request: HttpRequest) -> HttpResponse:
    """Search results as a fragment (htmx) or a page."""
    form, as_of = _as_of(request)
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    results = selectors.search_units(query, as_of=as_of) if query.strip() else []
    template = "geo/_search_results.html" if getattr(request, "htmx", False) else "geo/search.html"
    return render(
        request, template, {"form": form, "results": results, "query": query, "as_of": as_of}
    )


def unit_children(request: HttpRequest, unit_id: int) -> HttpResponse:
    """One level of the tree, loaded when a node is opened."""
    _form, as_of = _as_of(request)
    unit = selectors.unit_by_id(unit_id)
    return render(
        request,
        "geo/_children.html",
        {"units": selectors.children(unit, as_of=as_of).order_by("code"), "as_of": as_of},
    )


def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit's counts, history and map of communes."""
    form, as_of = _as_of(request)
    unit = selectors.unit_by_id(unit_id)
    # A unit's own page defaults to a day it was valid, so a legacy unit shows its own figures.
    if "as_of" not in request.GET and not unit.is_valid_on(as_of):
        as_of = unit.valid_to or as_of
    can_edit = may_edit_hamlets(request.user, unit)
    context = {
        "form": form,
        "unit": unit,
        "as_of": as_of,
        "valid": unit.is_valid_on(as_of),
        "ancestors": selectors.ancestors(unit),
        "counts": selectors.unit_counts(unit, as_of=as_of),
        "children": selectors.children(unit, as_of=as_of).order_by("code"),
        "predecessors": selectors.predecessors(unit),
        "successors": selectors.successors(unit),
        "map": unit_map(selectors.communes_of(unit, as_of=as_of)),
        "hamlets": selectors.commune_hamlets(unit, as_of=as_of)
        if unit.level == Level.COMMUNE
        else None,
        "can_edit": can_edit,
        "hamlet_form": HamletForm(initial={"valid_from": as_of}) if can_edit else None,
    }
    return render(request, "geo/unit_detail.html", context)


def unit_by_code(request: HttpRequest, code: str) -> HttpResponse:
    _form, as_of = _as_of(request)
    try:
        unit = selectors.unit_by_code(code, as_of=as_of if "as_of" in request.GET else None)
    except selectors.UnitNotFound as error:
        raise Http404(str(error)) from None
    target = unit.get_absolute_url()
    if "as_of" in request.GET:
        target += f"?as_of={as_of.isoformat()}"
    return redirect(target)


@login_required
@require_http_methods(["POST"])
def hamlet_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    commune = access_unit_for_staff(request.user, unit_id, for_write=True)
    form = HamletForm(request.POST)
    if form.is_valid():
        try:
            services.hamlet_create(
                commune=commune,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                valid_from=form.cleaned_data["valid_from"],
                actor=request.user,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return redirect(commune)
    return render(request, "geo/hamlet_form.html", {"form": form, "commune": commune}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def hamlet_edit(request: HttpRequest, hamlet_id: int) -> HttpResponse:
    hamlet = access_hamlet(request.user, hamlet_id, for_write=True)
    if request.method == "POST":
        form = HamletForm(request.POST)
        if form.is_valid():
            services.hamlet_update(
                hamlet=hamlet,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                actor=request.user,
            )
            return redirect(hamlet.commune)
        status = 400
    else:
        form = HamletForm(
            initial={"name": hamlet.name, "kind": hamlet.kind, "valid_from": hamlet.valid_from}
        )
        status = 200
    return render(
        request,
        "geo/hamlet_form.html",
        {"form": form, "hamlet": hamlet, "commune": hamlet.commune},
        status=status,
    )
