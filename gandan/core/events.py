"""The vocabulary of event kinds: each app lists its kinds in ``<app>/events.py``.

An app declares its kinds as a subclass of ``EventKinds``, a ``TextChoices`` (the value is
stored in ``Event.kind``, the label is the Vietnamese wording a timeline shows) that registers
its members when the class is declared. ``event_record`` refuses a kind that no app declared,
so no event is written with a free string; ``label_of`` gives any stored kind its wording,
wherever it came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

if TYPE_CHECKING:
    # The stubs give TextChoices a metaclass of its own; a metaclass that does not derive from
    # it would hide from mypy that event kinds are an enum.
    from django.db.models.enums import _TextChoicesType as ChoicesType
else:
    from django.db.models.enums import ChoicesType

T = TypeVar("T", bound=type[models.TextChoices])
_LABELS: dict[str, str] = {}


def _register(choices: Iterable[tuple[str, Any]]) -> None:
    for value, label in choices:
        if _LABELS.get(value, label) != label:
            raise ValueError(f"event kind {value!r} is declared twice with different labels")
        _LABELS[value] = str(label)


def event_kinds(choices: T) -> T:
    """Register the kinds of a plain ``TextChoices`` (a class decorator); subclasses of
    ``EventKinds`` need not, they are registered as they are declared."""
    _register(choices.choices)  # type: ignore[misc]
    return choices


class _Registered(ChoicesType):
    def __new__(metacls, *args: Any, **kwargs: Any) -> _Registered:
        cls = super().__new__(metacls, *args, **kwargs)
        _register(cls.choices)  # once ChoicesType has given each member its label
        return cls


class EventKinds(models.TextChoices, metaclass=_Registered):
    """The base of an app's event kinds: ``KIND = "app.kind", "Vietnamese wording"``."""


def is_declared(kind: str) -> bool:
    return kind in _LABELS


def label_of(kind: str) -> str:
    """The Vietnamese wording of a stored event kind (the kind itself if no app declares it)."""
    return _LABELS.get(kind, kind)


def autodiscover() -> None:
    """Import every installed app's ``events`` module, so that all kinds are registered."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("events")


class JobEvent(EventKinds):
    """A background job's life (core.jobs)."""

    QUEUED = "job.queued", "Xếp hàng tác vụ nền"
    STARTED = "job.started", "Bắt đầu tác vụ nền"
    DONE = "job.done", "Hoàn thành tác vụ nền"
    FAILED = "job.failed", "Tác vụ nền thất bại"
