"""Event kinds of accounts, roles and API tokens."""

from gandan.core.events import EventKinds


class AccountEvent(EventKinds):
    USER_CREATED = "user.created", "Tạo tài khoản"
    PASSWORD_SET = "user.password_set", "Đặt mật khẩu"
    MEMBERSHIP_GRANTED = "membership.granted", "Giao vai trò"
    PASSWORD_CHANGED = "user.password_changed", "Đổi mật khẩu"
    PASSWORD_RESET = "user.password_reset", "Đặt lại mật khẩu qua thư điện tử"
    TOKEN_RENEWED = "token.renewed", "Cấp mới mã truy cập API"
    TOKEN_ISSUED = "token.issued", "Cấp mã truy cập API"
    TOKEN_REVOKED = "token.revoked", "Thu hồi mã truy cập API"
