"""Flag open citizen reports past their legal deadline to the unit above (run it hourly, e.g. from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gandan.feedback.services import reports_escalate


class Command(BaseCommand):
    help = "Báo lên cấp trên các phản ánh đã quá hạn xử lý mà chưa trả lời."

    def handle(self, *args: Any, **options: Any) -> None:
        count = reports_escalate()
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Đã báo lên cấp trên {count} phản ánh quá hạn."))
