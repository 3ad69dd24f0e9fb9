from django.apps import AppConfig


class OnestopConfig(AppConfig):
    name = "gandan.onestop"
    label = "onestop"
    verbose_name = "Một cửa, một cửa liên thông"
