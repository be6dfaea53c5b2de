from django.contrib.admin.apps import AdminConfig


class CogAdminConfig(AdminConfig):
    default_site = "cogproject.admin.CogAdminSite"
