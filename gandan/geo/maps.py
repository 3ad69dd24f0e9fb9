"""A plain SVG map of units placed by their coordinates: no tiles, no network, readable on a phone."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from gandan.geo.models import Unit

WIDTH = 640
PADDING = 24


@dataclass(frozen=True)
class MapPoint:
    unit: Unit
    x: float
    y: float


@dataclass(frozen=True)
class UnitMap:
    points: list[MapPoint]
    width: int
    height: int
    missing: int  # units without coordinates, not drawn


def unit_map(units: Iterable[Unit]) -> UnitMap | None:
    """Project units onto an equirectangular plane scaled to the map width; ``None`` if none has a position."""
    units = list(units)
    placed = [u for u in units if u.latitude is not None and u.longitude is not None]
    if not placed:
        return None
    if len(placed) == 1:
        # One unit: a small map with the dot in the middle.
        return UnitMap(
            points=[MapPoint(unit=placed[0], x=WIDTH / 2, y=80.0)],
            width=WIDTH,
            height=160,
            missing=len(units) - 1,
        )
    lats = [u.latitude for u in placed if u.latitude is not None]
    lons = [u.longitude for u in placed if u.longitude is not None]
    shrink = math.cos(math.radians((min(lats) + max(lats)) / 2))  # longitude degrees are shorter
    span_x = max((max(lons) - min(lons)) * shrink, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = (WIDTH - 2 * PADDING) / max(span_x, span_y)
    height = int(min(span_y * scale + 2 * PADDING, WIDTH * 1.4))
    scale = min(scale, (height - 2 * PADDING) / span_y)
    points = [
        MapPoint(
            unit=u,
            x=round(PADDING + ((u.longitude or 0) - min(lons)) * shrink * scale, 1),
            y=round(PADDING + (max(lats) - (u.latitude or 0)) * scale, 1),
        )
        for u in placed
    ]
    return UnitMap(points=points, width=WIDTH, height=height, missing=len(units) - len(placed))
