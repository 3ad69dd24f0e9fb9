"""Print a new API token for a user (the previous token stops working).

curl -H "Authorization: Token $(gandan token api_client)" http://127.0.0.1:8000/api/v1/units/
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.accounts.models import User
from gandan.accounts.services import token_renew


class Command(BaseCommand):
    help = "In ra mã truy cập API mới cho người dùng (mã cũ hết hiệu lực)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Tên đăng nhập")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có người dùng đang hoạt động tên {username!r}.")
        self.stdout.write(token_renew(user=user))
