from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "checkout"

    def ready(self):
        # Loans and reservations come off inventory's stock figures, and lapsing pickups
        # change live pages with no write: both are declared here, where they are known.
        from . import stock

        stock.register()
        # Joining a team must not take it past an entry's per-team limit.
        from accounts.teams import register_join_guard

        from .teams import joining_keeps_team_limits

        register_join_guard(joining_keeps_team_limits)
