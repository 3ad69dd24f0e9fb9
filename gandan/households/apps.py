from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "gandan.households"
    label = "households"
    verbose_name = "Hộ gia đình, hộ nghèo"
