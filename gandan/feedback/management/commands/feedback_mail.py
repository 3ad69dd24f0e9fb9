"""Read the inbound mailbox of citizen reports (a Maildir or an mbox file): each message
becomes a report, the sender gets its tracking code by email, and the message leaves the box.

    gandan feedback_mail --maildir /var/mail/phananh
"""

from __future__ import annotations

import mailbox
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from gandan.feedback.mail import intake
from gandan.geo.province import home_code
from gandan.geo.selectors import UnitNotFound, unit_by_code


class Command(BaseCommand):
    help = "Tiếp nhận phản ánh gửi qua thư điện tử (Maildir hoặc mbox)."

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--maildir", help="Thư mục Maildir")
        source.add_argument("--mbox", help="Tệp mbox")
        parser.add_argument(
            "--desk",
            default=None,
            help="Mã đơn vị tiếp nhận thư không có vị trí (mặc định: tỉnh, thành phố của hệ thống)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu, không gửi thư"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            desk = unit_by_code(options["desk"] or home_code(), as_of=timezone.localdate())
        except UnitNotFound as error:
            raise CommandError(str(error)) from None
        box: mailbox.Mailbox[Any] = (
            mailbox.Maildir(options["maildir"], create=False)
            if options["maildir"]
            else mailbox.mbox(options["mbox"])
        )
        with transaction.atomic():
            result = intake(box, desk=desk, dry_run=options["dry_run"])
            if options["dry_run"]:
                transaction.set_rollback(True)
        for report in result.created:
            self.stdout.write(f"Tiếp nhận {report.code}: {report.title} → {report.agency}")
        for sender, reason in result.refused:
            self.stdout.write(f"Từ chối thư của {sender or '(không rõ)'}: {reason}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.created)} phản ánh mới, {len(result.refused)} thư bị từ chối."
            )
        )
