from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gandan.portal"
    label = "portal"
    verbose_name = "Cổng thông tin"
