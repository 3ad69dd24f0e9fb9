from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gandan.core"
    label = "core"
    verbose_name = "Nền tảng chung"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from gandan.core.events import autodiscover
        from gandan.core.security import on_sqlite_connection
        from gandan.core.timeouts import on_connection_created

        autodiscover()
        connection_created.connect(on_connection_created, dispatch_uid="gandan-request-timeout")
        connection_created.connect(on_sqlite_connection, dispatch_uid="gandan-owner-only")
