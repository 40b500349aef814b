from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "capdev.api"
    label = "api"
    verbose_name = "API"
