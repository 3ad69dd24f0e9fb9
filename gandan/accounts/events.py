"""Event kinds of accounts, roles and API tokens."""

from gandan.core.events import EventKinds


class AccountEvent(EventKinds):
    USER_CREATED = "user.created", "Tạo tài khoản"
    PASSWORD_SET = "user.password_set", "Đặt mật khẩu"
    MEMBERSHIP_GRANTED = "membership.granted", "Giao vai trò"
    TOKEN_RENEWED = "token.renewed", "Cấp mới mã truy cập API"
