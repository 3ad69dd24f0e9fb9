"""The citizen's rating of a returned dossier: 9 criteria, 5 levels each (Decision 766).

Two doors to the same screen and the same service (:func:`services.rating_record`): the desk's
kiosk (a tablet turned to the citizen; staff of the unit holding the dossier open it) and the
public link sent with the result (:mod:`gandan.onestop.views_public`, a signed token).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gandan.onestop import services
from gandan.onestop.access import access_dossier
from gandan.onestop.models import RATING_CRITERIA, RATING_LEVELS, Dossier, Status
from gandan.onestop.selectors import is_rated

NOT_RETURNED = "Hồ sơ chưa trả kết quả: chỉ đánh giá được sau khi nhận kết quả."
ALREADY_RATED = "Hồ sơ này đã được đánh giá. Cảm ơn ông/bà đã góp ý!"


class RatingForm(forms.Form):
    """One radio group per criterion (drawn as five big buttons) and an optional comment."""

    comment = forms.CharField(
        label="Ý kiến khác (không bắt buộc)",
        required=False,
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Ý kiến dài quá %(limit_value)d ký tự."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in RATING_CRITERIA:
            self.fields[code] = forms.TypedChoiceField(
                label=label,
                choices=RATING_LEVELS,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Chọn một mức cho “{label}”.",
                    "invalid_choice": f"Mức đánh giá “{label}” không hợp lệ: chọn từ 1 đến 5.",
                },
            )
        self.order_fields([code for code, _label in RATING_CRITERIA] + ["comment"])

    def criteria(self) -> list[forms.BoundField]:
        return [self[code] for code, _label in RATING_CRITERIA]

    def scores(self) -> dict[str, int]:
        return {code: self.cleaned_data[code] for code, _label in RATING_CRITERIA}


def _blocked(dossier: Dossier) -> str:
    """Why the dossier cannot be rated now ("" when it can)."""
    if dossier.status != Status.RETURNED:
        return NOT_RETURNED
    if is_rated(dossier):
        return ALREADY_RATED
    return ""


def rating_screen(
    request: HttpRequest, dossier: Dossier, *, via: str, extra: dict[str, Any]
) -> HttpResponse:
    """GET: the form (or why there is none); POST: record the rating, then thank the citizen."""
    blocked = _blocked(dossier)
    context: dict[str, Any] = {"dossier": dossier, "via": via, "blocked": blocked, **extra}
    if request.method != "POST" or blocked:
        status = 400 if request.method == "POST" else 200
        return render(
            request, "onestop/rate_page.html", {**context, "form": RatingForm()}, status=status
        )
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rating_record(
                dossier=dossier,
                scores=form.scores(),
                via=via,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return render(request, "onestop/rate_thanks.html", context)
    return render(request, "onestop/rate_page.html", {**context, "form": form}, status=400)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def rate_kiosk(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk's kiosk: staff of the unit holding the dossier hand the screen to the citizen."""
    dossier = access_dossier(request.user, pk, for_write=True)
    return rating_screen(request, dossier, via="kiosk", extra={"kiosk": True})
