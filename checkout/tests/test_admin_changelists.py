import pytest
from django.urls import reverse

from checkout import services
from checkout.models import HardwareRequest, Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind
from inventory.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def activity(organiser, n):
    for _ in range(n):
        entry = stocked_entry(units=2)
        HardwareRequestFactory(entry=entry)
        request = HardwareRequestFactory(entry=entry)
        services.approve_request(hardware_request=request, by=organiser)
        services.fulfil_request(
            hardware_request=request, by=organiser, id_storage_label=f"A{request.pk}"
        )
        lottery = stocked_entry(units=1, kind=Kind.LOTTERY)
        HardwareRequestFactory(entry=lottery, proposal="x")
        services.run_lottery(entry=lottery, by=organiser)
        services.record_handout(
            entry=EntryFactory(kind=Kind.FREE, counted_stock=5), quantity=1, by=organiser
        )


# Exactly these, at 2 and at 40 rows: the user, their permissions, the filters' lookups, the
# page's count and one page of rows with their relations (list_select_related).
EXPECTED_QUERIES = {
    "handout": [
        "SELECT accounts_user",
        "SELECT auth_permission",
        "SELECT checkout_handout",
        "SELECT checkout_handout",
    ],
    "hardwarerequest": [
        "SELECT accounts_user",
        "SELECT auth_permission",
        "SELECT checkout_hardwarerequest",
        "SELECT checkout_hardwarerequest",
    ],
    "idcollateral": [
        "SELECT accounts_user",
        "SELECT auth_permission",
        "SELECT checkout_idcollateral",
        "SELECT checkout_idcollateral",
        "SELECT checkout_idcollateral",
    ],
    "loan": [
        "SELECT accounts_user",
        "SELECT auth_permission",
        "SELECT checkout_loan",
        "SELECT checkout_loan",
    ],
    "lotterydraw": [
        "SELECT accounts_user",
        "SELECT auth_permission",
        "SELECT checkout_lotterydraw",
        "SELECT checkout_lotterydraw",
        "SELECT checkout_lotterydraw",
    ],
}


@pytest.mark.parametrize(
    "model", ["hardwarerequest", "loan", "idcollateral", "lotterydraw", "handout"]
)
def test_changelist_query_count_does_not_grow(organiser_client, organiser, named_queries, model):
    changelist = reverse(f"admin:checkout_{model}_changelist")
    activity(organiser, 2)
    _, few = named_queries(organiser_client.get, changelist)
    activity(organiser, 40)
    response, many = named_queries(organiser_client.get, changelist)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= 40
    assert few == many == EXPECTED_QUERIES[model]


def test_the_admin_approve_action_calls_the_service(organiser_client):
    entry = stocked_entry(units=1)
    first, second = HardwareRequestFactory(entry=entry), HardwareRequestFactory(entry=entry)
    response = organiser_client.post(
        reverse("admin:checkout_hardwarerequest_changelist"),
        {"action": "approve", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    statuses = sorted(HardwareRequest.objects.values_list("status", flat=True))
    assert statuses == [Status.APPROVED, Status.SUBMITTED]
    assert any("Only 0" in str(m) for m in response.context["messages"])
    assert (
        HardwareRequest.objects.get(status=Status.APPROVED).events.last().to_status
        == Status.APPROVED
    )


def test_requests_cannot_be_edited_or_added_in_the_admin(organiser_client):
    request = HardwareRequestFactory(entry=stocked_entry())
    assert organiser_client.get(reverse("admin:checkout_hardwarerequest_add")).status_code == 403
    organiser_client.post(
        reverse("admin:checkout_hardwarerequest_change", args=[request.pk]), {"status": "fulfilled"}
    )
    assert HardwareRequest.objects.get(pk=request.pk).status == Status.SUBMITTED


def test_the_lottery_draw_page_says_it_is_reproducible(organiser_client, organiser):
    lottery = stocked_entry(units=1, kind=Kind.LOTTERY)
    HardwareRequestFactory(entry=lottery, proposal="x")
    draw = services.run_lottery(entry=lottery, by=organiser)
    page = organiser_client.get(reverse("admin:checkout_lotterydraw_change", args=[draw.pk]))
    assert page.status_code == 200
    assert "icon-yes" in page.content.decode()
