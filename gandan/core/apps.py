from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gandan.core"
    label = "core"
    verbose_name = "Nền tảng chung"

    def ready(self) -> None:
        from gandan.core.events import autodiscover

        autodiscover()
