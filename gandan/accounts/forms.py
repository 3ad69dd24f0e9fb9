from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm


class LoginForm(AuthenticationForm):
    """Django's login form with Vietnamese labels and messages."""

    username = forms.CharField(
        label="Tên đăng nhập",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Mật khẩu",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Xin kiểm tra lại (mật khẩu phân biệt chữ hoa, chữ thường).",
        "inactive": "Tài khoản này đã bị khóa.",
    }


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset form: a link goes to the address if an active account has it (the page
    says the same either way, so it tells no one which addresses have accounts)."""

    email = forms.EmailField(
        label="Thư điện tử của tài khoản",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
