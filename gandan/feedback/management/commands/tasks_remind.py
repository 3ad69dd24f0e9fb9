"""Remind lead agencies of follow-up tasks due soon or overdue (by email), once a week per task.

gandan tasks_remind --days 7
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import timezone

from gandan.feedback.models import TASK_OPEN, Task


class Command(BaseCommand):
    help = "Nhắc các cơ quan chủ trì về nhiệm vụ sắp đến hạn hoặc đã quá hạn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=7, help="Nhắc trước hạn bao nhiêu ngày (mặc định 7)"
        )

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        today = timezone.localdate()
        due = (
            Task.objects.filter(status__in=TASK_OPEN, deadline__lte=today + dt.timedelta(days=days))
            .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lte=today - dt.timedelta(days=7)))
            .select_related("lead", "opinion")
        )
        count = 0
        for task in due:
            what = task.opinion.topic if task.opinion else task.directive[:80]
            state = (
                "đã quá hạn" if task.deadline < today else f"đến hạn ngày {task.deadline:%d/%m/%Y}"
            )
            if task.lead.email:
                send_mail(
                    f"Nhắc hạn nhiệm vụ: {what}",
                    f"Nhiệm vụ “{what}” giao {task.lead.name} {state}.",
                    None,
                    [task.lead.email],
                )
            task.reminded_on = today
            task.save(update_fields=["reminded_on", "updated_at"])
            count += 1
            if options["verbosity"] >= 2:
                self.stdout.write(f"  {task.lead.name}: {what} ({state})")
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Đã nhắc {count} nhiệm vụ."))
