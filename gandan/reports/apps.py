from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gandan.reports"
    label = "reports"
    verbose_name = "Báo cáo"
