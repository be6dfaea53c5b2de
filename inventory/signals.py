from django.dispatch import Signal

# Sent by inventory services that change many rows at once (QuerySet.update, bulk_create), which
# send no post_save. Receivers (the checkout app's live versions) treat it like a save.
inventory_changed = Signal()
