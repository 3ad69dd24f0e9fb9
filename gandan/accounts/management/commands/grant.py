"""Grant a role at a unit to a user, creating the user if needed.

gandan grant chutich_thuanhoa commune_leader 19789 --password-stdin < password.txt
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gandan.accounts.models import Role
from gandan.accounts.services import check_role, membership_grant
from gandan.geo.models import Hamlet
from gandan.geo.selectors import UnitNotFound, unit_by_code


class Command(BaseCommand):
    help = "Giao vai trò tại một đơn vị cho người dùng (tạo người dùng nếu chưa có)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Tên đăng nhập")
        parser.add_argument("role", help="Vai trò: " + ", ".join(Role.values))
        parser.add_argument("unit_code", help="Mã đơn vị hành chính (đang có hiệu lực)")
        parser.add_argument(
            "--password-stdin", action="store_true", help="Đọc mật khẩu từ đầu vào chuẩn."
        )
        parser.add_argument("--hamlet", help="Tên thôn, tổ dân phố (cho trưởng thôn)")
        parser.add_argument("--full-name", default="", help="Họ và tên")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            check_role(options["role"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        try:
            unit = unit_by_code(options["unit_code"], as_of=timezone.localdate())
        except UnitNotFound as error:
            raise CommandError(str(error)) from None
        password = None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError("Không đọc được mật khẩu từ đầu vào chuẩn.")
        hamlet = None
        if options["hamlet"]:
            hamlet = (
                Hamlet.objects.valid_on(timezone.localdate())
                .filter(commune=unit, name=options["hamlet"])
                .first()
            )
            if hamlet is None:
                raise CommandError(
                    f"{unit.name} không có thôn, tổ dân phố tên {options['hamlet']!r}."
                )
        try:
            membership = membership_grant(
                username=options["username"],
                role=options["role"],
                unit=unit,
                password=password,
                hamlet=hamlet,
                full_name=options["full_name"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã giao vai trò {membership.get_role_display()} tại {unit.name} (mã {unit.code}) cho {membership.user.username}."
                )
            )
