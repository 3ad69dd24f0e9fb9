"""Receipt of a dossier: at the counter, by post or online (accepted or refused by the desk).

The receipt is the busiest write of the desk: its reads and writes are prepared statements
(``core.statements``, decision 0009), and the day's counter is one statement that also locks
it until the receipt commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Required, TypedDict, Unpack

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from gandan.core import statements
from gandan.core.actors import acting_user
from gandan.core.crypto import blind_index
from gandan.core.uploads import KINDS, Checked, check_upload
from gandan.core.validators import check_citizen_id, check_email, check_phone
from gandan.geo.models import Unit
from gandan.onestop.events import OnestopEvent as E
from gandan.onestop.models import (
    Channel,
    Dossier,
    DossierDocument,
    DossierSequence,
    Procedure,
    ProcedureVersion,
    Status,
)
from gandan.onestop.services._base import (
    MAX_NAME,
    _close,
    _error,
    _event,
    _move,
    _now,
    _rule,
    _save,
    _text,
)
from gandan.onestop.services.catalogue import (
    calendar_for,
    version_for,
)


def dossier_code_next(unit: Unit, day: dt.date) -> str:
    """The next code ``{unit}-{yyMMdd}-{NNNN}`` of ``unit`` on ``day``.

    One statement increments the day's counter (INSERT … ON CONFLICT … RETURNING, on both
    databases); the row stays locked until the receipt commits, so concurrent receipts get
    different numbers and a rolled-back receipt gives its number back.
    """
    table = DossierSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_code, day, last) VALUES (%s, %s, 1) "  # noqa: S608 - table name from the model
            f"ON CONFLICT (unit_code, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [unit.code, day],
        )
        number = cursor.fetchone()[0]
    return f"{unit.code}-{day:%y%m%d}-{number:04d}"


def lookup_key(code: str, digits: str) -> str:
    """The keyed hash compared by the public look-up (code + last four digits)."""
    return blind_index(f"onestop:{code}:{digits}")


@dataclass(frozen=True)
class Applicant:
    name: str
    citizen_id: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


def check_applicant(applicant: Applicant) -> Applicant:
    name = _text(applicant.name, "applicant_name", "họ tên người nộp", limit=MAX_NAME)
    citizen_id = check_citizen_id(applicant.citizen_id, field="applicant_id", required=False)
    phone = check_phone(applicant.phone, field="applicant_phone")
    if not citizen_id and not phone:
        raise _error(
            "Cần số định danh cá nhân hoặc số điện thoại của người nộp (để tra cứu hồ sơ).",
            "contact_required",
            "applicant_id",
        )
    email = check_email(applicant.email, field="applicant_email")
    address = _text(applicant.address, "applicant_address", "địa chỉ", limit=300, required=False)
    return Applicant(name=name, citizen_id=citizen_id, phone=phone, email=email, address=address)


def check_documents(version: ProcedureVersion, provided: Iterable[str]) -> list[dict[str, Any]]:
    """The procedure's documents marked provided or not; missing required ones are an error."""
    given = set(provided)
    known = {d["code"] for d in version.documents}
    unknown = sorted(given - known)
    if unknown:
        raise _error(
            f"Giấy tờ không thuộc thành phần hồ sơ của thủ tục: {', '.join(unknown)}.",
            "unknown_document",
            "documents",
        )
    missing = [
        d["name"] for d in version.documents if d.get("required", True) and d["code"] not in given
    ]
    if missing:
        raise _error(
            "Hồ sơ thiếu giấy tờ bắt buộc: " + "; ".join(missing) + ".",
            "missing_documents",
            "documents",
        )
    return [{**d, "provided": d["code"] in given} for d in version.documents]


def check_attachment(upload: UploadedFile) -> Checked:
    """One of the desk's file types (rule ``attachment_types``: PDF and pictures), at most
    its size limit; checked by its bytes, a picture cleaned of its metadata
    (gandan.core.uploads). What to store."""
    limit_mb = int(_rule("attachment_max_mb", "10"))
    types = _rule("attachment_types", "application/pdf,image/jpeg,image/png").split(",")
    return check_upload(
        upload,
        name=upload.name or "tệp",
        size=upload.size,
        accept=tuple(kind for kind in KINDS.values() if kind.content_type in types),
        max_bytes=limit_mb * 1024 * 1024,
        field="file",
    )


def _schedule(dossier: Dossier, received: dt.datetime) -> None:
    version = dossier.version
    deadline = calendar_for(dossier.unit, timezone.localdate(received)).due(
        received, version.time_limit, version.time_unit, cutoff=version.cutoff
    )
    dossier.received_at = received
    dossier.starts_at = deadline.starts
    dossier.due_at = deadline.due
    dossier.appointment_at = deadline.due


class Receipt(TypedDict, total=False):
    """What a receipt takes besides the actor and the idempotency key (the defaults are
    ``_receive``'s)."""

    unit: Required[Unit]
    procedure: Required[Procedure]
    applicant: Required[Applicant]
    channel: int
    documents: Iterable[str]
    digitised: bool
    reused: bool
    attachments: dict[str, UploadedFile] | None
    at: dt.datetime | None


def dossier_receive(
    *, actor: Any = None, idempotency_key: str = "", **receipt: Unpack[Receipt]
) -> Dossier:
    """Receive a dossier: at the counter or by post (received now), or online (registered,
    waiting for the desk to accept it with ``dossier_accept``).

    The documents are checked against the procedure version in force; the code is issued
    under the day's counter; a retried call with the same ``idempotency_key`` by the same
    user returns the first dossier instead of creating another.
    """
    return dossier_receive_once(actor=actor, idempotency_key=idempotency_key, **receipt)[0]


def dossier_receive_once(
    *, actor: Any = None, idempotency_key: str = "", **receipt: Unpack[Receipt]
) -> tuple[Dossier, bool]:
    """:func:`dossier_receive`, also saying whether the dossier was made now (``True``) or is
    the one an earlier call with the same key made (``False``).

    A user's key is unique in the table, so the common case costs no look-up: the receipt is
    written, and only if the key is already there (a retry, even a concurrent one) is the
    receipt rolled back — giving its number back — and the first dossier read. An anonymous
    caller has no such constraint (NULL is never equal) and is looked up first.
    """
    key = ""
    if idempotency_key:
        key = _text(idempotency_key, "idempotency_key", "khóa chống trùng", limit=80)
        if acting_user(actor) is None:
            earlier = _receipt_of(None, key)
            if earlier is not None:
                return earlier, False
    try:
        return _receive(idempotency_key=key, actor=actor, **receipt), True
    except IntegrityError:
        earlier = _receipt_of(acting_user(actor), key) if key else None
        if earlier is None:
            raise
        return earlier, False


def _receipt_of(user: Any, key: str) -> Dossier | None:
    return Dossier.objects.filter(created_by=user, idempotency_key=key).first()


@transaction.atomic
def _receive(
    *,
    unit: Unit,
    procedure: Procedure,
    applicant: Applicant,
    channel: int = Channel.COUNTER,
    documents: Iterable[str] = (),
    digitised: bool = False,
    reused: bool = False,
    attachments: dict[str, UploadedFile] | None = None,
    at: dt.datetime | None = None,
    actor: Any = None,
    idempotency_key: str = "",
) -> Dossier:
    at = _now(at)
    if channel not in Channel.values:
        raise _error("Hình thức nộp không hợp lệ.", "channel", "channel")
    applicant = check_applicant(applicant)
    version = version_for(procedure, unit, timezone.localdate(at))
    checked = check_documents(version, documents)
    cleaned = {code: check_attachment(upload) for code, upload in (attachments or {}).items()}
    dossier = Dossier(
        province_code=unit.province_code,
        unit=unit,
        version=version,
        channel=channel,
        status=Status.REGISTERED if channel == Channel.ONLINE else Status.RECEIVED,
        applicant_name=applicant.name,
        applicant_id=applicant.citizen_id,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        submitted_at=at,
        current_unit=unit,
        digitised=digitised,
        reused=reused,
        idempotency_key=idempotency_key,
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    if dossier.status == Status.RECEIVED:
        _schedule(dossier, at)
    # The number last: the day's counter row stays locked from here to the commit, so every
    # other receipt of the unit that day waits only for the writes below.
    dossier.code = dossier_code_next(unit, timezone.localtime(at).date())
    for column, text in Dossier.BLIND_INDEXES.items():
        source = text(dossier)
        setattr(dossier, column, blind_index(source) if source else "")
    # Two prepared statements (core.statements): the ORM takes longer to compose them than
    # the database takes to run them, on every receipt.
    statements.insert([dossier])
    statements.insert(
        [
            DossierDocument(
                dossier=dossier,
                code=d["code"],
                name=d["name"],
                required=d.get("required", True),
                provided=d["provided"],
                digitised=digitised and d["provided"],
                reused=reused and d["provided"],
            )
            for d in checked
        ]
    )
    for code, upload in cleaned.items():
        document = dossier.documents.filter(code=code).first()
        if document is None:
            raise _error(
                f"Tệp đính kèm cho giấy tờ không có: {code}.", "unknown_document", "documents"
            )
        document.file.save(upload.content.name, upload.content, save=False)
        document.digitised = True
        document.save(update_fields=["file", "digitised"])
    _event(
        dossier,
        E.RECEIVED if dossier.status == Status.RECEIVED else E.REGISTERED,
        actor,
        at,
        channel=channel,
        to_unit=unit.code,
        due=dossier.due_at.isoformat() if dossier.due_at else None,
    )
    return dossier


@transaction.atomic
def dossier_accept(
    *, dossier: Dossier, actor: Any = None, at: dt.datetime | None = None
) -> Dossier:
    """The desk accepts an online dossier: the clock starts now."""
    at = _now(at)
    _move(dossier, Status.RECEIVED)
    _schedule(dossier, at)
    return _save(
        dossier,
        E.RECEIVED,
        actor,
        at,
        channel=dossier.channel,
        due=dossier.due_at.isoformat() if dossier.due_at else None,
    )


@transaction.atomic
def dossier_refuse(
    *, dossier: Dossier, reason: str, actor: Any = None, at: dt.datetime | None = None
) -> Dossier:
    """Refuse to receive an online dossier (form 03), always with a reason."""
    return _close(dossier, Status.REFUSED, reason, actor, at)
