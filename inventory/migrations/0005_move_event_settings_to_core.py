"""EventSettings moves to the core app (shared by every app): rename its table, leave the state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("inventory", "0004_eventsettings_cv_consent_text")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="eventsettings", table="core_eventsettings"),
            ],
            state_operations=[migrations.DeleteModel(name="EventSettings")],
        ),
    ]
