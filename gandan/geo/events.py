"""Event kinds of administrative units and villages."""

from gandan.core.events import EventKinds


class GeoEvent(EventKinds):
    HAMLET_CREATED = "hamlet.created", "Thêm thôn, tổ dân phố"
    HAMLET_UPDATED = "hamlet.updated", "Sửa thông tin thôn, tổ dân phố"
    HAMLETS_CARRIED_OVER = "hamlets.carried_over", "Chuyển thôn, tổ dân phố sang xã, phường mới"
