"""Give existing categories the icon their name suggests ("Sensors" -> sensor)."""

from django.db import migrations

from inventory.icons import guess_icon


def guess_icons(apps, schema_editor):
    Category = apps.get_model("inventory", "Category")
    changed = []
    for category in Category.objects.all():
        category.icon = guess_icon(category.name)
        changed.append(category)
    Category.objects.bulk_update(changed, ["icon"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0007_category_icon")]

    # Going back leaves the guesses: the field goes away with 0007.
    operations = [migrations.RunPython(guess_icons, migrations.RunPython.noop)]
