from django.db import migrations


def create_settings_row(apps, schema_editor):
    # The catalogue reads this row on every page; creating it here keeps that a single SELECT.
    apps.get_model("inventory", "EventSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]
    operations = [migrations.RunPython(create_settings_row, migrations.RunPython.noop)]
