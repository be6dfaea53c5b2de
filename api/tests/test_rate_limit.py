"""Rate limiting: API_RATE_LIMIT requests per token, or per address without one, in a window
that opens at the caller's first request; then 429 with Retry-After."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from api.ratelimit import Rate, parse_rate

pytestmark = pytest.mark.django_db


def test_past_the_limit_it_is_a_429_with_retry_after(client, settings):
    settings.API_RATE_LIMIT = "3/hour"
    statuses = [client.get("/api/v1/catalogue").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]

    refused = client.get("/api/v1/entries/1")  # every endpoint counts against the caller
    assert refused.status_code == 429
    assert 3590 <= int(refused["Retry-After"]) <= 3600
    body = refused.json()
    assert (body["limit"], body["window_seconds"]) == (3, 3600)
    assert body["retry_after"] == int(refused["Retry-After"])
    assert "3 requests per hour" in body["detail"]


def test_each_token_and_each_address_has_its_own_count(client, settings, bearer, organiser):
    settings.API_RATE_LIMIT = "2/hour"
    assert [client.get("/api/v1/queue", **bearer).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    # Without the token the caller is the address, which has made no request yet.
    assert client.get("/api/v1/catalogue").status_code == 200
    other = client.get("/api/v1/catalogue", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_bad_input_counts_too_and_is_still_answered_in_json(client, settings):
    settings.API_RATE_LIMIT = "1/min"
    assert client.get("/api/v1/catalogue", {"limit": "many"}).status_code == 400
    refused = client.get("/api/v1/catalogue")
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("text", "rate"),
    [("120/min", Rate(120, 60)), ("10/sec", Rate(10, 1)), (" 5000/hour ", Rate(5000, 3600))],
)
def test_it_reads_the_setting(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "120", "0/min", "-1/min", "many/min", "120/week"])
def test_a_bad_setting_stops_the_server(text):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)
