"""One projection for every map: the unit maps and the citizen reports' maps place a point alike."""

from __future__ import annotations

from gandan.geo.maps import WIDTH, projection, unit_map
from gandan.geo.models import Unit


def test_a_unit_map_and_a_report_map_put_the_same_place_at_the_same_pixel():
    units = [
        Unit(code="1", name="A", latitude=16.46, longitude=107.59),
        Unit(code="2", name="B", latitude=16.52, longitude=107.66),
        Unit(code="3", name="C", latitude=16.40, longitude=107.55),
    ]
    drawn = unit_map(units)
    proj = projection([(u.latitude, u.longitude) for u in units])
    assert drawn is not None and proj is not None
    assert drawn.height == proj.height and proj.width == WIDTH
    for point in drawn.points:
        assert f"{point.x:.1f}" == proj.x(point.unit.longitude)
        assert f"{point.y:.1f}" == proj.y(point.unit.latitude)


def test_the_projection_keeps_every_point_inside_the_margin():
    proj = projection([(16.0, 107.0), (16.8, 108.2)])
    assert proj is not None
    for lat, lon in [(16.0, 107.0), (16.8, 108.2)]:
        assert 0 < float(proj.x(lon)) < proj.width and 0 < float(proj.y(lat)) < proj.height
