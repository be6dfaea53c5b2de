from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared pieces below every app: event settings, live version tokens, SQL count helpers."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"

    def ready(self):
        from . import live

        live.connect_signals()
