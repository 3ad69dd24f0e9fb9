from django.apps import AppConfig


class OfficialsConfig(AppConfig):
    name = "gandan.officials"
    label = "officials"
    verbose_name = "Cán bộ, công chức"
