from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from checkout.desk.urls import urls as desk_urls


class CogAdminSite(admin.AdminSite):
    """The admin back office, plus the hardware desk at /admin/desk/."""

    def get_urls(self):
        return desk_urls(self) + super().get_urls()

    def login(self, request, extra_context=None):
        """One way in: allauth's sign-in page, which also applies the organiser allow-list."""
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
