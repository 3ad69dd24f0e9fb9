"""Issue or revoke a user's API tokens.

A token is printed once, when issued: only its digest is stored. By default the user's other
tokens are revoked (``--keep`` keeps them); ``--revoke`` revokes without issuing.

curl -H "Authorization: Token $(gandan token api_client)" http://127.0.0.1:8000/api/v1/units/
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import CONSTANTS

from gandan.accounts.models import User
from gandan.accounts.services import token_issue, token_renew, token_revoke


class Command(BaseCommand):
    help = (
        "Cấp mã truy cập API cho người dùng và in ra một lần duy nhất (các mã cũ bị thu hồi, "
        "trừ khi có --keep), hoặc thu hồi mã (--revoke)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Tên đăng nhập")
        parser.add_argument("--days", type=int, help="Số ngày hiệu lực (mặc định theo cấu hình)")
        parser.add_argument("--keep", action="store_true", help="Giữ các mã đang có")
        parser.add_argument(
            "--revoke",
            nargs="?",
            const="",
            metavar="MÃ",
            help="Thu hồi mã có phần đầu MÃ (như trong danh sách), hoặc mọi mã nếu bỏ trống",
        )
        parser.add_argument("--list", action="store_true", help="Liệt kê các mã đang có")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có người dùng đang hoạt động tên {username!r}.")
        if options["list"]:
            for token in AuthToken.objects.filter(user=user).order_by("created"):
                expiry = timezone.localtime(token.expiry).strftime("%d/%m/%Y %H:%M")
                self.stdout.write(f"{token.token_key}…  hết hạn {expiry}")
            return
        if options["revoke"] is not None:
            count = token_revoke(user=user, token_key=options["revoke"] or None)
            self.stderr.write(f"Đã thu hồi {count} mã truy cập của {username}.")
            return
        try:
            issue = token_issue if options["keep"] else token_renew
            key = issue(user=user, days=options["days"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        token = AuthToken.objects.get(user=user, token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH])
        expiry = timezone.localtime(token.expiry).strftime("%d/%m/%Y %H:%M")
        self.stderr.write(f"Mã truy cập của {username}, hiệu lực đến {expiry}; chỉ in ra lần này.")
        self.stdout.write(key)
