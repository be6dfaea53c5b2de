from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views import email_is_identity


def healthz(request):
    """For load balancers and the benchmark's ceiling: a few bytes, no database, no session."""
    return HttpResponse(b"ok", content_type="text/plain")


admin.site.site_header = f"{settings.EVENT_NAME} hardware desk"
admin.site.site_title = "Cog"
admin.site.index_title = "Back office"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="checkout:catalogue"), name="home"),
    path("healthz", healthz, name="healthz"),
    path("", include("checkout.urls")),
    path("", include("accounts.urls")),
    # Before allauth's own: the email address is the identity, not something to edit.
    path("accounts/email/", email_is_identity, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG_TOOLBAR:
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
