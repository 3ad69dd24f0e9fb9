"""A plain SVG map of places by their coordinates: no tiles, no network, readable on a phone.

One projection serves every map of the system (the unit maps, the map of citizen reports and
the submit form's picker): an equirectangular plane fitted to the map's width.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from gandan.geo.models import Unit

WIDTH = 640
PADDING = 24


@dataclass(frozen=True)
class Projection:
    """Degrees → SVG pixels on an equirectangular plane (good enough for one province).

    ``left``/``top`` are the longitude/latitude at pixel (0, 0); ``kx``/``ky`` pixels per
    degree. The submit page's script inverts the same numbers to turn a click into a position.
    """

    left: float
    top: float
    kx: float
    ky: float
    width: int
    height: int

    def px(self, longitude: float) -> float:
        return (longitude - self.left) * self.kx

    def py(self, latitude: float) -> float:
        return (self.top - latitude) * self.ky

    def x(self, longitude: float) -> str:
        return f"{self.px(longitude):.1f}"

    def y(self, latitude: float) -> str:
        return f"{self.py(latitude):.1f}"

    @property
    def data(self) -> dict[str, str]:
        """The numbers as text for ``data-*`` attributes: never localised (no decimal comma)."""
        return {
            "left": repr(self.left),
            "top": repr(self.top),
            "kx": repr(self.kx),
            "ky": repr(self.ky),
            "width": str(self.width),
            "height": str(self.height),
        }


def projection(
    points: Iterable[tuple[float, float]], *, width: int = WIDTH, min_span: float = 0.01
) -> Projection | None:
    """A projection that fits every (latitude, longitude) in ``width`` pixels, with a margin.

    ``min_span`` (degrees) keeps a few close points from filling the whole map.
    """
    placed = list(points)
    if not placed:
        return None
    lats = [lat for lat, _lon in placed]
    lons = [lon for _lat, lon in placed]
    shrink = math.cos(math.radians((min(lats) + max(lats)) / 2))  # longitude degrees are shorter
    span_x = max((max(lons) - min(lons)) * shrink, min_span)
    span_y = max(max(lats) - min(lats), min_span)
    scale = (width - 2 * PADDING) / max(span_x, span_y)
    height = int(min(span_y * scale + 2 * PADDING, width * 1.4))
    scale = min(scale, (height - 2 * PADDING) / span_y)
    return Projection(
        left=min(lons) - PADDING / (scale * shrink),
        top=max(lats) + PADDING / scale,
        kx=scale * shrink,
        ky=scale,
        width=width,
        height=height,
    )


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
    """Units placed by :func:`projection` on a map of ``WIDTH``; ``None`` if none has a position."""
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
    proj = projection(((u.latitude or 0, u.longitude or 0) for u in placed), min_span=1e-6)
    assert proj is not None  # noqa: S101 - two units or more are placed
    points = [
        MapPoint(
            unit=u, x=round(proj.px(u.longitude or 0), 1), y=round(proj.py(u.latitude or 0), 1)
        )
        for u in placed
    ]
    return UnitMap(points=points, width=WIDTH, height=proj.height, missing=len(units) - len(placed))
