from django.contrib import admin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from checkout.desk.urls import urls as desk_urls


class CogAdminSite(admin.AdminSite):
    """The admin back office, plus the hardware desk at /admin/desk/."""

    # The sidebar's toggle sits outside every landmark (axe: region) and crowds a phone;
    # the index and breadcrumbs lead everywhere it does.
    enable_nav_sidebar = False

    def get_urls(self):
        return desk_urls(self) + super().get_urls()

    def login(self, request, extra_context=None):
        """One way in: allauth's sign-in page, which also applies the organiser allow-list.

        Someone already signed in who is not an organiser gets a page that says so: sending
        them to sign in again would bounce straight back here (allauth redirects a signed-in
        user to `next`), a loop the browser ends with "too many redirects".
        """
        if request.user.is_authenticated:
            return TemplateResponse(
                request,
                "admin/not_organiser.html",
                {"sign_in_again": reverse("admin:index", current_app=self.name)},
                status=403,
            )
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
