from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "checkout"

    def ready(self):
        # Cached catalogue and desk fragments are keyed on the SHARED version token: any change
        # to the inventory, however it is made (admin, import, services), must bump it.
        from django.db.models.signals import post_delete, post_save

        from inventory.models import Category, Entry, EventSettings, Unit
        from inventory.signals import inventory_changed

        from . import live

        for model in (Category, Entry, Unit, EventSettings):
            post_save.connect(live.inventory_changed, sender=model, dispatch_uid=f"live-{model}")
            post_delete.connect(
                live.inventory_changed, sender=model, dispatch_uid=f"live-d-{model}"
            )
        inventory_changed.connect(live.inventory_changed, dispatch_uid="live-inventory")
