from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gandan.accounts"
    label = "accounts"
    verbose_name = "Tài khoản và phân quyền"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from gandan.accounts.sessions import stamp_sign_in

        user_logged_in.connect(stamp_sign_in, dispatch_uid="gandan.accounts.stamp_sign_in")
