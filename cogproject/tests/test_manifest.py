"""A favicon on every page and a web app manifest, so a phone can install the participant
pages to its home screen."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_event_and_icons_that_exist(client, settings):
    settings.EVENT_NAME = "HackDemo"
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "HackDemo hardware" and manifest["display"] == "standalone"
    assert manifest["start_url"] == reverse("checkout:my_hardware")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes  # what Chrome asks of an installable app
    for icon in manifest["icons"]:
        path = icon["src"].removeprefix(settings.STATIC_URL)
        assert finders.find(path), icon["src"]


@pytest.mark.parametrize("url", ["/inventory/", "/accounts/login/", "/admin/login/"])
def test_every_page_links_its_icon(client, url):
    page = client.get(url, follow=True).content.decode()
    assert 'rel="icon" href="/static/icons/icon.svg"' in page


def test_favicon_ico_points_at_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("icons/icon-192.png")


def test_the_manifest_and_favicon_cost_no_queries(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/manifest.webmanifest")
        client.get("/favicon.ico")
