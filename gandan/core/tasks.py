"""Background tasks of core: computing kept figures again (``gandan.core.figures``)."""

from __future__ import annotations

from django_tasks import task

from gandan.core.figures import figures_refresh_now


@task()
def figures_refresh(key: str) -> None:
    """Compute the kept figures ``key`` again, for the next requests."""
    figures_refresh_now(key)
