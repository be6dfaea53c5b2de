import pytest

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def test_the_login_page_uses_the_project_layout(client):
    response = client.get(LOGIN)
    body = response.content.decode()
    assert response.status_code == 200
    assert "css/cog.css" in body and "skip-link" in body


def test_it_signs_in_by_email_whatever_its_case(client, participant):
    response = client.post(LOGIN, {"login": "PAT@example.com", "password": "s3cret-pass"})
    assert response.status_code == 302
    assert response.wsgi_request.user == participant


def test_a_wrong_password_is_refused(client, participant):
    response = client.post(LOGIN, {"login": "pat@example.com", "password": "nope"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize(
    "next_url", ["https://evil.example.com/", "//evil.example.com/", "http:\\\\evil.example.com"]
)
def test_next_cannot_redirect_off_site(client, participant, next_url):
    response = client.post(
        f"{LOGIN}?next={next_url}", {"login": "pat@example.com", "password": "s3cret-pass"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith("//")


def test_next_to_a_local_page_is_followed(client, participant):
    response = client.post(
        LOGIN, {"login": "pat@example.com", "password": "s3cret-pass", "next": "/inventory/1/"}
    )
    assert response["Location"] == "/inventory/1/"


def test_password_reset_page_renders(client):
    response = client.get("/accounts/password/reset/")
    assert response.status_code == 200
    assert "css/cog.css" in response.content.decode()


def test_sign_out_needs_post(client, participant):
    client.force_login(participant)
    client.get("/accounts/logout/")
    assert client.get("/inventory/").wsgi_request.user.is_authenticated
    client.post("/accounts/logout/")
    assert not client.get("/inventory/").wsgi_request.user.is_authenticated
