"""ChangeCounter moves to the core app (live tokens): rename its table, leave the state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("checkout", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="changecounter", table="core_changecounter"),
            ],
            state_operations=[migrations.DeleteModel(name="ChangeCounter")],
        ),
    ]
