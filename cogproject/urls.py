from django.conf import settings
from django.conf.urls.static import static as serve_files
from django.contrib import admin
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.views.generic import RedirectView

from accounts.views import email_is_identity
from api.urls import api


def manifest(request):
    """The web app manifest: the participant pages install to a phone's home screen."""
    icons = [
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    body = {
        "name": f"{settings.EVENT_NAME} hardware",
        "short_name": "Hardware",
        "start_url": reverse("checkout:my_hardware"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f5f7a",
        "icons": icons,
    }
    return JsonResponse(body, content_type="application/manifest+json")


def favicon(request):
    """Clients that ask for /favicon.ico without reading the page's icon link."""
    return HttpResponsePermanentRedirect(static("icons/icon-192.png"))


def healthz(request):
    """For load balancers and the benchmark's ceiling: a few bytes, no database, no session."""
    return HttpResponse(b"ok", content_type="text/plain")


admin.site.site_header = f"{settings.EVENT_NAME} hardware desk"
admin.site.site_title = "Cog"
admin.site.index_title = "Back office"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="checkout:catalogue"), name="home"),
    path("healthz", healthz, name="healthz"),
    path("manifest.webmanifest", manifest, name="manifest"),
    path("favicon.ico", favicon, name="favicon"),
    path("", include("checkout.urls")),
    path("", include("accounts.urls")),
    # Before allauth's own: the email address is the identity, not something to edit.
    path("accounts/email/", email_is_identity, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

# Uploaded pictures on local files, in development (static() adds nothing unless DEBUG is on;
# in production the proxy serves MEDIA_ROOT, or pictures live on S3).
urlpatterns += serve_files(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.DEBUG_TOOLBAR:
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
