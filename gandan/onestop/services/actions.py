"""The desk's actions: one dispatcher (``dossier_act``) for the dossier page and the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gandan.onestop.models import (
    ApologyStatus,
    Dossier,
    DossierAction,
    ProcedureStep,
    Status,
)
from gandan.onestop.services import apologies, receipt, workflow
from gandan.onestop.services._base import (
    TRANSITIONS,
    _error,
)
from gandan.onestop.services.catalogue import (
    steps_of,
)


def _next_step(dossier: Dossier) -> ProcedureStep | None:
    steps = steps_of(dossier.version)
    return steps[dossier.step_order] if dossier.step_order < len(steps) - 1 else None


def _to(dossier: Dossier, status: Status) -> bool:
    return status in TRANSITIONS.get(dossier.status, frozenset())


_HANDLED = (Status.RECEIVED, Status.PROCESSING, Status.AWAITING_PAYMENT)

# When each action fits the dossier's state (who may act is ``access.may_handle_dossier``).
_ALLOWED: dict[DossierAction, Callable[[Dossier], bool]] = {
    DossierAction.ACCEPT: lambda d: d.status == Status.REGISTERED and _to(d, Status.RECEIVED),
    DossierAction.REFUSE: lambda d: _to(d, Status.REFUSED),
    DossierAction.FORWARD: lambda d: (
        d.status in (Status.RECEIVED, Status.PROCESSING) and _next_step(d) is not None
    ),
    DossierAction.ASSIGN: lambda d: d.status in _HANDLED,
    DossierAction.SEND_BACK: lambda d: d.status == Status.PROCESSING and d.step_order > 1,
    DossierAction.REQUEST_SUPPLEMENT: lambda d: _to(d, Status.SUPPLEMENT),
    DossierAction.RESUME: lambda d: d.status == Status.SUPPLEMENT,
    DossierAction.REQUEST_PAYMENT: lambda d: _to(d, Status.AWAITING_PAYMENT),
    DossierAction.RECORD_PAYMENT: lambda d: d.status == Status.AWAITING_PAYMENT,
    # The result is recorded at the last handling step (the one before the return at the
    # desk), not while examining or signing is still to come.
    DossierAction.FINISH: lambda d: _to(d, Status.DONE) and _next_step(d) is None,
    DossierAction.RETURN: lambda d: _to(d, Status.RETURNED),
    DossierAction.APOLOGY: lambda d: (
        d.is_open and not d.apologies.exclude(status=ApologyStatus.SENT).exists()
    ),
    DossierAction.STOP: lambda d: _to(d, Status.STOPPED),
    DossierAction.WITHDRAW: lambda d: _to(d, Status.WITHDRAWN),
    DossierAction.COMPLAINT: lambda d: d.status != Status.REGISTERED,
}


def action_fits(dossier: Dossier, action: DossierAction) -> bool:
    """Whether the dossier's status (and step, and apologies) lets ``action`` be taken now."""
    return _ALLOWED[action](dossier)


def check_action(dossier: Dossier, action: str, actor: Any = None) -> DossierAction:
    """``action`` as a member of the vocabulary, if the dossier's state allows it now and,
    for an action that passes the current step, ``actor`` holds the step's role
    (``access.may_pass_step``; code ``step_role``)."""
    from gandan.onestop.access import current_step, may_take_action

    try:
        chosen = DossierAction(action)
    except ValueError:
        raise _error(f"Không có thao tác “{action}”.", "unknown_action", "action") from None
    if not action_fits(dossier, chosen):
        raise _error(
            f"Hồ sơ đang ở trạng thái “{Status(dossier.status).label}”: "
            f"không thể {chosen.label.lower()}.",
            "action_not_available",
            "action",
        )
    if actor is not None and not may_take_action(actor, dossier, chosen):
        step = current_step(dossier)
        handler = step.get_handler_display() if step else ""
        raise _error(
            f"Bước “{step.name if step else ''}” do {handler.lower()} thực hiện: "
            f"bạn không thể {chosen.label.lower()}.",
            "step_role",
            "action",
        )
    return chosen


# Each action's service and the inputs it takes from ``data`` (absent ones keep its default).
_RUN: dict[DossierAction, tuple[Callable[..., Any], tuple[str, ...]]] = {
    DossierAction.ACCEPT: (receipt.dossier_accept, ()),
    DossierAction.REFUSE: (receipt.dossier_refuse, ("reason",)),
    DossierAction.FORWARD: (workflow.dossier_forward, ("to_unit", "to_user", "note")),
    DossierAction.ASSIGN: (workflow.dossier_assign, ("to_user",)),
    DossierAction.SEND_BACK: (workflow.dossier_send_back, ("to_step", "reason")),
    DossierAction.REQUEST_SUPPLEMENT: (
        workflow.dossier_request_supplement,
        ("reason", "documents", "acknowledge_late"),
    ),
    DossierAction.RESUME: (workflow.dossier_resume, ("documents",)),
    DossierAction.REQUEST_PAYMENT: (workflow.dossier_request_payment, ("amount", "note")),
    DossierAction.RECORD_PAYMENT: (workflow.dossier_record_payment, ()),
    DossierAction.FINISH: (workflow.dossier_finish, ("result_note", "electronic", "result_file")),
    DossierAction.RETURN: (workflow.dossier_return, ()),
    DossierAction.APOLOGY: (apologies.apology_draft, ("reason", "new_appointment_at")),
    DossierAction.STOP: (workflow.dossier_stop, ("reason",)),
    DossierAction.WITHDRAW: (workflow.dossier_withdraw, ("reason",)),
    DossierAction.COMPLAINT: (workflow.dossier_mark_complaint, ("note",)),
}


def dossier_act(*, dossier: Dossier, action: str, data: dict[str, Any], actor: Any) -> Any:
    """Take ``action`` on ``dossier`` with the parsed inputs in ``data``: the one entry of the
    desk's dossier page and of ``POST /api/v1/dossiers/{code}/transitions/``.

    The caller has fetched the dossier for writing (``access_dossier(..., for_write=True)``).
    An action the dossier's state does not allow is refused (code ``action_not_available``)
    before anything is read from ``data``; the service's own refusals follow. Returns what
    the service returns (the dossier, or the supplement request or apology it made).
    """
    chosen = check_action(dossier, action, actor)
    service, inputs = _RUN[chosen]
    return service(dossier=dossier, actor=actor, **{k: data[k] for k in inputs if k in data})
