"""Reports that arrive by email: each message in an inbound mailbox becomes a report, and the
sender gets the tracking code (and later the answer) by email."""

from __future__ import annotations

import datetime as dt
import email.utils
import mailbox
import re
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import send_mail
from django.utils import timezone

from gandan.core.text import fold
from gandan.feedback.models import Category, Channel, Report
from gandan.feedback.services import report_submit
from gandan.geo.models import Unit

COORDINATES = re.compile(r"(?<![\d.])(\d{1,2}\.\d{3,})\s*[,; ]\s*(1\d{2}\.\d{3,})(?![\d.])")
MAX_BODY = 4000


@dataclass
class MailResult:
    created: list[Report] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (sender, reason)


def _text_and_images(message: Message) -> tuple[str, list[SimpleUploadedFile]]:
    texts: list[str] = []
    images: list[SimpleUploadedFile] = []
    for part in message.walk() if message.is_multipart() else [message]:
        content_type = part.get_content_type()
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        if content_type == "text/plain" and not part.get_filename():
            charset = part.get_content_charset() or "utf-8"
            texts.append(payload.decode(charset, errors="replace"))
        elif content_type.startswith("image/"):
            images.append(
                SimpleUploadedFile(
                    part.get_filename() or "anh.jpg", payload, content_type=content_type
                )
            )
    return "\n".join(t.strip() for t in texts if t.strip()), images


def _category_for(subject: str, body: str) -> Category:
    """The category whose keywords the subject (first) or the body mention most; else "other"."""
    categories = list(Category.objects.filter(active=True).exclude(keywords=""))
    for text in (subject, body):
        folded = fold(text)
        scored = [
            (
                sum(1 for k in c.keywords.split(",") if k.strip() and k.strip() in folded),
                -c.order,
                c,
            )
            for c in categories
        ]
        best = max(scored, key=lambda item: (item[0], item[1]), default=None)
        if best is not None and best[0] > 0:
            return best[2]
    return Category.objects.get(code="other")


def _decode(value: str | None) -> str:
    if not value:
        return ""
    return str(email.header.make_header(email.header.decode_header(value)))


def intake(box: mailbox.Mailbox[Any], *, desk: Unit, dry_run: bool = False) -> MailResult:
    """Turn every message of ``box`` into a report (or a refusal), then remove it from the box.

    The location comes from coordinates written in the message ("16.4556, 107.584");
    without them the report goes to ``desk``, which sorts and transfers it.
    """
    result = MailResult()
    for key, message in list(box.items()):
        sender = email.utils.parseaddr(_decode(message.get("From")))[1]
        subject = _decode(message.get("Subject")).strip()
        body, images = _text_and_images(message)
        try:
            if not body:
                raise ValidationError({"description": "Thư không có nội dung phản ánh."})
            match = COORDINATES.search(body)
            latitude, longitude = (
                (float(match.group(1)), float(match.group(2))) if match else (None, None)
            )
            sent = (
                email.utils.parsedate_to_datetime(message["Date"]) if message.get("Date") else None
            )
            received = sent if sent is not None and sent <= timezone.now() else timezone.now()
            if received.tzinfo is None:
                received = received.replace(tzinfo=dt.UTC)
            report = report_submit(
                category=_category_for(subject, body),
                title=subject[:160] or body[:80],
                description=body[:MAX_BODY],
                latitude=latitude,
                longitude=longitude,
                channel=Channel.EMAIL,
                reporter_email=sender,
                photos=images[:5],
                received_at=received,
                fallback_unit=desk,
            )
        except ValidationError as error:
            reason = " ".join(error.messages)
            result.refused.append((sender, reason))
            if sender and not dry_run:
                send_mail(
                    "Phản ánh chưa được tiếp nhận",
                    f"Thư của bạn chưa được tiếp nhận: {reason}",
                    None,
                    [sender],
                )
        else:
            result.created.append(report)
            if sender and not dry_run:
                send_mail(
                    f"Đã tiếp nhận phản ánh {report.code}",
                    f"Cảm ơn bạn. Phản ánh của bạn đã được tiếp nhận với mã {report.code} và chuyển đến "
                    f"{report.agency}. Hạn trả lời: {timezone.localtime(report.due_at):%H:%M ngày %d/%m/%Y}.",
                    None,
                    [sender],
                )
        if not dry_run:
            box.remove(key)
    return result
