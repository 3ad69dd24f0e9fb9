"""The applicant's rating of a returned dossier."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gandan.onestop.events import OnestopEvent as E
from gandan.onestop.models import (
    RATING_CRITERIA,
    Dossier,
    Rating,
    Status,
)
from gandan.onestop.services._base import (
    _error,
    _event,
    _now,
    _text,
)


@transaction.atomic
def rating_record(
    *,
    dossier: Dossier,
    scores: dict[str, int],
    via: str,
    comment: str = "",
    at: dt.datetime | None = None,
) -> Rating:
    """The applicant's rating of a returned dossier: each of the 9 criteria from 1 to 5."""
    at = _now(at)
    if dossier.status != Status.RETURNED:
        raise _error("Chỉ đánh giá hồ sơ đã trả kết quả.", "transition", "status")
    if Rating.objects.filter(dossier=dossier).exists():
        raise _error("Hồ sơ này đã được đánh giá.", "already_rated", "scores")
    if via not in ("kiosk", "link"):
        raise _error("Hình thức đánh giá không hợp lệ.", "via", "via")
    clean: dict[str, int] = {}
    for code, label in RATING_CRITERIA:
        value = scores.get(code)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise _error(f"Tiêu chí “{label}”: chọn mức từ 1 đến 5.", "score", code)
        clean[code] = value
    extra = set(scores) - set(clean)
    if extra:
        raise _error(f"Tiêu chí không có: {', '.join(sorted(extra))}.", "score", "scores")
    rating = Rating.objects.create(
        dossier=dossier,
        rated_at=at,
        via=via,
        scores=clean,
        average=sum(clean.values()) / len(clean),
        comment=_text(comment, "comment", "ý kiến", required=False),
    )
    _event(dossier, E.RATED, None, at, average=round(rating.average, 2), via=via)
    return rating
