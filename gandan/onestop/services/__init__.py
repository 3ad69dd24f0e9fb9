"""Writes of the one-stop desk: receipt, the workflow, deadlines, apologies, return, rating.

Every service checks its input, moves the dossier through the national statuses only along
the allowed transitions (``TRANSITIONS``), and writes one event per change in the same
transaction; the timeline, the tracking sheet (form 06) and the metrics read those events
and the dossier's columns. Errors are ``ValidationError`` with a Vietnamese message and a
machine-readable ``code``; nothing is saved when one is raised.
"""

from __future__ import annotations

from gandan.onestop.services._base import (
    MAX_NAME,
    MAX_TEXT,
    TRANSITIONS,
    _rule,
)
from gandan.onestop.services.actions import (
    action_fits,
    check_action,
    dossier_act,
)
from gandan.onestop.services.apologies import (
    Sender,
    apology_approve,
    apology_draft,
    apology_send,
    apology_text,
    console_sms,
    sms_sender,
)
from gandan.onestop.services.catalogue import (
    calendar_for,
    step_unit,
    steps_of,
    version_for,
)
from gandan.onestop.services.ratings import (
    rating_record,
)
from gandan.onestop.services.receipt import (
    Applicant,
    check_applicant,
    check_attachment,
    check_documents,
    dossier_accept,
    dossier_code_next,
    dossier_receive,
    dossier_receive_once,
    dossier_refuse,
    lookup_key,
)
from gandan.onestop.services.workflow import (
    SecondSupplementWarning,
    dossier_assign,
    dossier_finish,
    dossier_forward,
    dossier_mark_complaint,
    dossier_record_payment,
    dossier_request_payment,
    dossier_request_supplement,
    dossier_resume,
    dossier_return,
    dossier_send_back,
    dossier_stop,
    dossier_withdraw,
)

__all__ = [
    "TRANSITIONS",
    "MAX_NAME",
    "MAX_TEXT",
    "_rule",
    "calendar_for",
    "version_for",
    "steps_of",
    "step_unit",
    "dossier_code_next",
    "lookup_key",
    "Applicant",
    "check_applicant",
    "check_documents",
    "check_attachment",
    "dossier_receive",
    "dossier_receive_once",
    "dossier_accept",
    "dossier_refuse",
    "dossier_forward",
    "dossier_assign",
    "dossier_send_back",
    "SecondSupplementWarning",
    "dossier_request_supplement",
    "dossier_resume",
    "dossier_request_payment",
    "dossier_record_payment",
    "dossier_finish",
    "dossier_return",
    "dossier_stop",
    "dossier_withdraw",
    "dossier_mark_complaint",
    "Sender",
    "console_sms",
    "sms_sender",
    "apology_draft",
    "apology_approve",
    "apology_text",
    "apology_send",
    "rating_record",
    "action_fits",
    "check_action",
    "dossier_act",
]
