"""EventSettings (from inventory) and ChangeCounter (from checkout) move to core.

Their tables are renamed by the apps they leave (inventory 0005, checkout 0002); here they
enter core's migration state, their content types (and so their permissions) follow them,
and the SHARED counter row that live versions are read from is created.
"""

from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model in (("inventory", "eventsettings"), ("checkout", "changecounter")):
        if not ContentType.objects.filter(app_label="core", model=model).exists():
            ContentType.objects.filter(app_label=old_app, model=model).update(app_label="core")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model in (("inventory", "eventsettings"), ("checkout", "changecounter")):
        ContentType.objects.filter(app_label="core", model=model).update(app_label=old_app)


def create_shared_counter(apps, schema_editor):
    apps.get_model("core", "ChangeCounter").objects.get_or_create(
        scope="shared", defaults={"version": "0"}
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("inventory", "0005_move_event_settings_to_core"),
        ("checkout", "0002_move_change_counter_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ChangeCounter",
                    fields=[
                        ("scope", models.CharField(max_length=40, primary_key=True, serialize=False)),
                        ("version", models.CharField(max_length=32)),
                    ],
                ),
                migrations.CreateModel(
                    name="EventSettings",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("lottery_text", models.TextField(default="These items are scarce. Tell us what you will build; winners are drawn at random among the proposals when the lottery runs.")),
                        ("checkout_text", models.TextField(default="Request these items and pick them up at the hardware desk. We hold your ID until you bring them back.")),
                        ("free_text", models.TextField(default="Take what you need: these are yours to keep.")),
                        ("show_lottery_quantities", models.BooleanField(default=True)),
                        ("show_checkout_quantities", models.BooleanField(default=True)),
                        ("show_free_quantities", models.BooleanField(default=True)),
                        ("waitlist_enabled", models.BooleanField(default=True, help_text="When an item runs out, later requests queue first come, first served.")),
                        ("waitlist_auto_approve", models.BooleanField(default=False, help_text="When a unit comes back, approve the next waitlisted request automatically.")),
                        ("proposal_required", models.BooleanField(default=True, help_text="Lottery entrants must say what they will build.", verbose_name="lottery proposal required")),
                        ("proposal_max_length", models.PositiveSmallIntegerField(default=500)),
                        ("lottery_deny_losers", models.BooleanField(default=True, help_text="Deny every entrant who did not win when a lottery runs.")),
                        ("lottery_close_when_run", models.BooleanField(default=False, help_text="Turn a lottery entry into a checkout entry after its draw.")),
                        ("lottery_multiple_entries", models.BooleanField(default=False, help_text="Let a participant enter more than one lottery at a time.", verbose_name="several lottery entries per participant")),
                        ("pickup_expiry_minutes", models.PositiveSmallIntegerField(default=30, help_text="An approved request not picked up within this time expires and its units go to the next in line.")),
                        ("loan_duration_hours", models.PositiveSmallIntegerField(default=24, help_text="Due back this long after hand-out, unless a due-back time is set.")),
                        ("cv_consent_text", models.TextField(default="I agree that the organisers may share my CV with the event's sponsors for recruiting. I can withdraw at any time, which deletes my CV.", help_text="Participants tick this before uploading a CV; the text they agreed to is kept.", verbose_name="CV consent text")),
                        ("default_due_back", models.DateTimeField(blank=True, help_text="e.g. the end of hacking; overrides the loan duration.", null=True)),
                    ],
                    options={"verbose_name": "event settings", "verbose_name_plural": "event settings"},
                ),
            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
        migrations.RunPython(create_shared_counter, migrations.RunPython.noop),
    ]
