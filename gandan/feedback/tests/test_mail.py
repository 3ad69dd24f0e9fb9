"""Email intake: a test mailbox, one report per message, replies by email, refusals for empty mail."""

import io
import mailbox
from email.message import EmailMessage

import pytest
from django.core import mail
from django.core.management import call_command
from PIL import Image

from gandan.feedback.models import Channel, Report

pytestmark = pytest.mark.django_db


def message(
    body: str, *, subject: str = "Phản ánh", sender: str = "dan@example.vn", image: bool = False
):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "phananh@hue.gov.vn", subject
    msg.set_content(body)
    if image:
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
        msg.add_attachment(buffer.getvalue(), maintype="image", subtype="png", filename="o-ga.png")
    return msg


def test_each_message_becomes_a_report_and_the_sender_gets_the_code(tmp_path):
    box = mailbox.Maildir(tmp_path / "inbox")
    box.add(
        message(
            "Đèn đường không sáng ở kiệt 5, tọa độ 16.4556, 107.584",
            subject="Chiếu sáng",
            image=True,
        )
    )
    box.add(message("Rác tồn đọng mấy ngày ở chợ", subject="Rác", sender="ba@example.vn"))
    box.add(message("", subject="Trống"))
    out = io.StringIO()
    call_command("feedback_mail", "--maildir", str(tmp_path / "inbox"), stdout=out)
    reports = {r.reporter_email: r for r in Report.objects.all()}
    located = reports["dan@example.vn"]
    assert located.channel == Channel.EMAIL
    assert located.unit.code == "19789" and located.category.code == "lighting"
    assert located.photos.count() == 1
    triage = reports["ba@example.vn"]
    assert triage.unit.code == "46" and triage.category.code == "waste"
    assert len(box) == 0
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == sorted(
        [
            f"Đã tiếp nhận phản ánh {located.code}",
            f"Đã tiếp nhận phản ánh {triage.code}",
            "Phản ánh chưa được tiếp nhận",
        ]
    )
    assert "2 phản ánh mới, 1 thư bị từ chối" in out.getvalue()


def test_a_dry_run_keeps_the_mail_and_saves_nothing(tmp_path):
    box = mailbox.Maildir(tmp_path / "inbox")
    box.add(message("Cống bị tắc gây ngập, 16.4556, 107.584"))
    call_command(
        "feedback_mail", "--maildir", str(tmp_path / "inbox"), "--dry-run", stdout=io.StringIO()
    )
    assert not Report.objects.exists()
    assert len(box) == 1
    assert not mail.outbox
