"""The Lead organisers group: organisers who may manage the allow-list in the admin.

Plain organisers may only view it: accounts/roles.py grants that at their next sign-in, and
this migration grants it to an existing Organisers group at once. roles.py keeps both groups'
permissions in line afterwards (lead_organisers_group(), organisers_group()).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LEAD_ORGANISERS = "Lead organisers"
ORGANISERS = "Organisers"
LEAD_CODENAMES = [
    "add_allowlistedemail",
    "change_allowlistedemail",
    "delete_allowlistedemail",
    "view_allowlistedemail",
]


def allow_list_permissions(apps, schema_editor):
    """codename: Permission for the allow-list model's four permissions."""
    # On a new database Django creates permissions after all migrations (post_migrate):
    # create the accounts ones now so they can be granted here.
    accounts = apps.get_app_config("accounts")
    accounts.models_module = True
    create_permissions(accounts, apps=apps, using=schema_editor.connection.alias, verbosity=0)
    accounts.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="accounts", codename__in=LEAD_CODENAMES
    )
    return {permission.codename: permission for permission in permissions}


def create_lead_organisers(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = allow_list_permissions(apps, schema_editor)
    lead, _ = Group.objects.get_or_create(name=LEAD_ORGANISERS)
    lead.permissions.add(*permissions.values())
    organisers = Group.objects.filter(name=ORGANISERS).first()
    if organisers is not None:
        organisers.permissions.add(permissions["view_allowlistedemail"])


def remove_lead_organisers(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=LEAD_ORGANISERS).delete()
    organisers = Group.objects.filter(name=ORGANISERS).first()
    if organisers is not None:
        organisers.permissions.remove(
            *organisers.permissions.filter(
                content_type__app_label="accounts", codename="view_allowlistedemail"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_allowlistedemail_lead_role"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_lead_organisers, remove_lead_organisers)]
