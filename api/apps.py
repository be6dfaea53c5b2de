from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        # A bad API_RATE_LIMIT stops the server at start-up, not at the first API request.
        from .ratelimit import configured_rate

        configured_rate()
