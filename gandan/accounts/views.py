"""The signed-in user's own account: password change, reset by e-mail, API tokens.

Thin adapters over Django's own views (django.contrib.auth.views) and over
``gandan.accounts.services``; each change is recorded as an event.
"""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from gandan.accounts import selectors
from gandan.accounts.forms import PasswordResetRequestForm
from gandan.accounts.services import password_change_record, token_revoke
from gandan.core.actors import acting_user
from gandan.core.ratelimit import Limit

# Reset mails: a few an hour from one address, so the form cannot flood anyone's mailbox.
RESET_LIMIT = Limit("password_reset", count=5, window_s=3600)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = acting_user(request.user)
    return render(request, "accounts/account.html", selectors.account_overview(user))


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_key: str) -> HttpResponse:
    user = acting_user(request.user)
    if token_revoke(user=user, token_key=token_key, actor=user):
        messages.success(request, f"Đã thu hồi mã truy cập {token_key}…")
    else:
        messages.error(request, "Không có mã truy cập này trong tài khoản của bạn.")
    return redirect("accounts:account")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")
    form_class = PasswordChangeForm

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_change_record(user=form.user, by_reset=False)
        messages.success(
            self.request,
            "Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản này đã kết thúc.",
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    form_class = PasswordResetRequestForm

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if RESET_LIMIT.check_and_hit(self.request):
            form.add_error(None, "Đã yêu cầu đặt lại mật khẩu quá nhiều lần; xin thử lại sau.")
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    form_class = SetPasswordForm

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_change_record(user=form.user, by_reset=True)
        # Whoever holds the mailbox may sign in now: the lock of the guesses before is lifted.
        axes_reset(username=form.user.get_username())
        return response


password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
