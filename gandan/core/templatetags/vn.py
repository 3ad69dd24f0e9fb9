"""Template filters for Vietnamese text: ``{% load vn %}``."""

from __future__ import annotations

from django import template

from gandan.core.text import source_text as _source_text

register = template.Library()


@register.filter
def source_text(value: object) -> str:
    """A legal source with the data's UNVERIFIED mark in Vietnamese."""
    return _source_text(str(value or ""))
