"""Online filing on the portal: a resident files a dossier without signing in.

Two steps on one page: choose the commune and the procedure (only procedures offered online),
then the applicant's details and one file per document. The dossier is *registered* (status 1)
and waits for the desk to receive it (``dossier_accept``) or refuse it with a reason; the page
gives the code and how to follow it on the look-up. A client address may file a few dossiers
per ten minutes, so that the desk's queue cannot be flooded.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gandan.core.ratelimit import Limit
from gandan.onestop import services
from gandan.onestop.models import Channel
from gandan.onestop.selectors import home_communes, online_version, online_versions
from gandan.onestop.views_public import lookup_link

FILE_LIMIT = 5  # dossiers per client address …
FILE_WINDOW_S = 10 * 60  # … per ten minutes
FILING = Limit("onestop:file", FILE_LIMIT, FILE_WINDOW_S)


class ChoiceForm(forms.Form):
    commune = forms.ChoiceField(label="Nộp tại xã, phường")
    procedure = forms.ChoiceField(label="Thủ tục")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["commune"].choices = [("", "— Chọn xã, phường —")] + [
            (u.code, u.name) for u in home_communes()
        ]
        groups: dict[str, list[tuple[str, str]]] = {}
        for version in online_versions():
            p = version.procedure
            groups.setdefault(p.field, []).append(
                (p.code, f"{p.name} ({version.time_limit_label})")
            )
        fields["procedure"].choices = [("", "— Chọn thủ tục —")] + list(groups.items())


class ApplicantForm(forms.Form):
    name = forms.CharField(label="Họ và tên người nộp", max_length=120)
    citizen_id = forms.CharField(
        label="Số định danh cá nhân (12 số)", max_length=12, required=False
    )
    phone = forms.CharField(label="Số điện thoại", max_length=15, required=False)
    email = forms.EmailField(label="Thư điện tử (để nhận thông báo)", required=False)
    address = forms.CharField(label="Địa chỉ", max_length=300, required=False)


@never_cache
@require_http_methods(["GET", "POST"])
def file_dossier(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    if request.method == "GET" and not data.get("commune"):
        # From the catalogue: the procedure chosen, the commune still to choose.
        choice = ChoiceForm(initial={"procedure": data.get("procedure", "")})
    else:
        choice = ChoiceForm(data if data.get("procedure") or data.get("commune") else None)
    context: dict[str, Any] = {"choice": choice, "limit": FILE_LIMIT}
    if not choice.is_bound or not choice.is_valid():
        return render(request, "onestop/public_file.html", context)
    unit = home_communes().get(code=choice.cleaned_data["commune"])
    version = online_version(choice.cleaned_data["procedure"])
    if version is None:  # the choices only list procedures in force: a stale page
        context["error"] = "Thủ tục này không còn nhận hồ sơ trực tuyến."
        return render(request, "onestop/public_file.html", context)
    context.update(unit=unit, version=version, applicant=ApplicantForm())
    if request.method != "POST" or "name" not in request.POST:
        return render(request, "onestop/public_file.html", context)
    applicant = ApplicantForm(request.POST)
    context["applicant"] = applicant
    if FILING.exceeded(request):
        context["error"] = (
            f"Mỗi máy chỉ được nộp {FILE_LIMIT} hồ sơ trong 10 phút. Vui lòng thử lại sau."
        )
        return render(request, "onestop/public_file.html", context, status=429)
    if not applicant.is_valid():
        return render(request, "onestop/public_file.html", context, status=400)
    uploads: dict[str, UploadedFile] = {}
    for document in version.documents:
        upload = request.FILES.get(f"doc_{document['code']}")
        if isinstance(upload, UploadedFile):
            uploads[document["code"]] = upload
    FILING.hit(request)
    try:
        dossier = services.dossier_receive(
            unit=unit,
            procedure=version.procedure,
            applicant=services.Applicant(**applicant.cleaned_data),
            channel=Channel.ONLINE,
            documents=list(uploads),
            digitised=True,
            attachments=uploads,
        )
    except ValidationError as error:
        context["errors"] = error.messages
        return render(request, "onestop/public_file.html", context, status=400)
    return render(
        request,
        "onestop/public_filed.html",
        {"dossier": dossier, "lookup": lookup_link(dossier.code)},
    )
