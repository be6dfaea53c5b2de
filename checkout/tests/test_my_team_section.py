"""My hardware's "Your team" section, and the team limits stated on cards and entry pages."""

import pytest
from django.urls import reverse

from accounts.tests.factories import TeamFactory, UserFactory
from checkout import services
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind

pytestmark = pytest.mark.django_db

MY_HARDWARE = reverse("checkout:my_hardware")


def teammate_activity(team, organiser, count):
    """`count` teammates, each holding one unit and asking for another entry."""
    for _ in range(count):
        mate = UserFactory(team=team)
        lent = HardwareRequestFactory(user=mate, entry=stocked_entry(units=1))
        services.approve_request(hardware_request=lent, by=organiser)
        services.fulfil_request(hardware_request=lent, by=organiser, id_storage_label=f"T{mate.pk}")
        HardwareRequestFactory(user=mate, entry=stocked_entry(units=2))


def test_it_shows_who_in_the_team_holds_and_asked_for_what(
    participant_client, participant, organiser
):
    team = TeamFactory(name="Rustaceans")
    participant.team = team
    participant.save()
    ana = UserFactory(team=team, name="Ana Lima")
    drone = stocked_entry(units=1, name="Drone")
    lent = HardwareRequestFactory(user=ana, entry=drone)
    services.approve_request(hardware_request=lent, by=organiser)
    services.fulfil_request(hardware_request=lent, by=organiser, id_storage_label="A1")
    HardwareRequestFactory(user=ana, entry=stocked_entry(units=1, name="Soldering iron"))
    HardwareRequestFactory(user=UserFactory(name="Not a teammate"), entry=drone)

    body = participant_client.get(MY_HARDWARE).content.decode()

    section = body[body.index('id="team-heading"') :]
    assert "Your team: Rustaceans" in section
    assert "Drone" in section and "held by Ana Lima" in section
    assert "1 × Soldering iron" in section and "for Ana Lima" in section
    assert "Not a teammate" not in body


def test_without_a_team_there_is_no_section_and_no_query(participant_client, named_queries):
    response, queries = named_queries(participant_client.get, MY_HARDWARE)
    assert 'id="team-heading"' not in response.content.decode()
    assert "SELECT accounts_team" not in queries
    assert "Form or join a team" in response.content.decode()


def test_the_team_section_costs_three_queries_at_2_or_30_teammates(
    participant_client, participant, organiser, named_queries, snapshot_clock
):
    team = TeamFactory()
    participant.team = team
    participant.save()
    teammate_activity(team, organiser, 2)
    participant_client.get(MY_HARDWARE)  # loads the snapshot of live versions (one query)
    _, few = named_queries(participant_client.get, MY_HARDWARE)
    teammate_activity(team, organiser, 28)
    response, many = named_queries(participant_client.get, MY_HARDWARE)
    assert len(response.context["team_loans"]) == 30
    assert len(response.context["team_requests"]) == 30
    assert (
        few
        == many
        == [
            "SELECT accounts_user",
            "SELECT checkout_hardwarerequest",  # their requests
            "SELECT checkout_loan",  # what they hold
            "SELECT checkout_idcollateral",  # whether the desk holds their ID
            "SELECT accounts_team",  # their team
            "SELECT checkout_hardwarerequest",  # teammates' open requests, with who and what
            "SELECT checkout_loan",  # what teammates hold, with who and which unit
        ]
    )


def test_cards_and_entry_pages_state_the_team_limit(participant_client):
    stocked_entry(units=3, name="Drone", max_per_team=1)
    lottery = stocked_entry(units=1, name="Headset", kind=Kind.LOTTERY, lottery_one_per_team=True)
    stocked_entry(units=3, name="Multimeter")
    catalogue = participant_client.get(reverse("checkout:catalogue")).content.decode()
    assert catalogue.count('class="meta team-limit"') == 2
    assert "1 per team" in catalogue and "One entry per team" in catalogue
    page = participant_client.get(reverse("checkout:entry", args=[lottery.pk])).content.decode()
    assert "One entry per team" in page
