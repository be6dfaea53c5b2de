"""An admin add page given a related object's key that is no key (?category=NaN) shows no
selection, and refuses it on POST with a form error: never a 500.

Autocomplete widgets look their value up to show its label, and a lookup with "NaN" for an
integer key raises. Every foreign key that an admin picks with such a widget (autocomplete or
raw id, in any registered admin or inline) is covered here, so a new one is tested too.
"""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

BAD_VALUES = ["NaN", "abc", "-1", "1.5", "99999999999999999999"]


def _looked_up_fields():
    """(model label, field name) for each field an add page picks by looking its value up."""
    fields = []
    for model, model_admin in admin.site._registry.items():
        admins = [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]
        for each in admins:
            for name in [*each.autocomplete_fields, *each.raw_id_fields]:
                fields.append((model._meta.label, name))
    return sorted(set(fields))


LOOKED_UP = _looked_up_fields()


def _add_url(label):
    app_label, model_name = label.lower().split(".")
    return reverse(f"admin:{app_label}_{model_name}_add")


def test_the_inventory_pickers_are_among_those_covered():
    assert {("inventory.Entry", "category"), ("inventory.Unit", "entry")} <= set(LOOKED_UP)


@pytest.mark.parametrize("value", BAD_VALUES)
@pytest.mark.parametrize(("label", "field"), LOOKED_UP)
def test_it_shows_no_selection_for_a_bad_initial_value(admin_client, label, field, value):
    response = admin_client.get(_add_url(label), {field: value})
    assert response.status_code == 200
    widget = str(response.context["adminform"].form[field])
    assert not re.search(r"<option[^>]* selected", widget)


@pytest.mark.parametrize("value", BAD_VALUES)
@pytest.mark.parametrize(("label", "field"), LOOKED_UP)
def test_it_refuses_a_bad_posted_value_with_a_form_error(admin_client, label, field, value):
    response = admin_client.post(_add_url(label), {field: value})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors[field]
    assert errors == ["Select a valid choice. That choice is not one of the available choices."]


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/inventory/entry/add/", {"category": "NaN"}),
        ("/admin/inventory/unit/add/", {"entry": "NaN"}),
    ],
)
def test_an_organiser_gets_the_form_back(organiser_client, url, data):
    assert organiser_client.get(url, data).status_code == 200
    response = organiser_client.post(url, {"name": "Pico", "asset_tag": "PICO-1", **data})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
