from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_team_name_to_teams")]

    operations = [migrations.RemoveField(model_name="user", name="team_name")]
