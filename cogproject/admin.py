from django.contrib import admin


class CogAdminSite(admin.AdminSite):
    """The admin back office, plus the hardware desk at /admin/desk/."""

    def get_urls(self):
        from checkout import desk

        return desk.urls(self) + super().get_urls()
