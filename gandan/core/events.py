"""The vocabulary of event kinds: each app lists its kinds in ``<app>/events.py``.

An app declares its kinds as ``TextChoices`` (the value is stored in ``Event.kind``, the label
is the Vietnamese wording a timeline shows) and decorates the class with ``@event_kinds``.
``event_record`` refuses a kind that no app declared, so no event is written with a free string;
``label_of`` gives any stored kind its wording, wherever it came from.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models

T = TypeVar("T", bound=type[models.TextChoices])
_LABELS: dict[str, str] = {}


def event_kinds(choices: T) -> T:
    """Register an app's event kinds (a class decorator)."""
    for value, label in choices.choices:  # type: ignore[misc]
        if _LABELS.get(value, label) != label:
            raise ValueError(f"event kind {value!r} is declared twice with different labels")
        _LABELS[value] = str(label)
    return choices


def is_declared(kind: str) -> bool:
    return kind in _LABELS


def label_of(kind: str) -> str:
    """The Vietnamese wording of a stored event kind (the kind itself if no app declares it)."""
    return _LABELS.get(kind, kind)


def autodiscover() -> None:
    """Import every installed app's ``events`` module, so that all kinds are registered."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("events")


@event_kinds
class JobEvent(models.TextChoices):
    """A background job's life (core.jobs)."""

    QUEUED = "job.queued", "Xếp hàng tác vụ nền"
    STARTED = "job.started", "Bắt đầu tác vụ nền"
    DONE = "job.done", "Hoàn thành tác vụ nền"
    FAILED = "job.failed", "Tác vụ nền thất bại"
