"""The sheet-link import connects to the address it checked (DNS rebinding).

A host name is looked up once per hop; the connection goes to an address from that answer,
while the request still names the host (Host header, TLS SNI and certificate check). A host
that answers a public address for the check and a private one afterwards gets nowhere.

Host names here are made up and answered by a fake `socket.getaddrinfo`; sockets may connect
to loopback only (see `connections`), so no test leaves this machine.
"""

import datetime
import ipaddress
import socket
import ssl

import pytest
import requests.adapters
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.urls import reverse

from inventory.models import Entry
from inventory.sheets import SheetError, fetch_sheet_csv
from inventory.tests.sheet_server import SheetServer
from inventory.tests.test_import_export import GOOD_CSV

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.215.14"  # a global address: the check lets it through; no test connects to it


class FakeDNS:
    """Answers for made-up names, one per lookup, the last one repeated; numeric addresses
    and other names resolve as usual."""

    def __init__(self):
        self.answers = {}
        self.lookups = []

    def __setitem__(self, host, answers):
        # Each answer is one address or a tuple of several.
        self.answers[host] = [a if isinstance(a, tuple) else (a,) for a in answers]

    def getaddrinfo(self, real, host, port, *args, **kwargs):
        if host not in self.answers:
            return real(host, port, *args, **kwargs)
        self.lookups.append(host)
        queue = self.answers[host]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return [info for address in answer for info in real(address, port, *args, **kwargs)]


@pytest.fixture
def dns(monkeypatch):
    fake, real = FakeDNS(), socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **kw: fake.getaddrinfo(real, *a, **kw))
    return fake


@pytest.fixture
def connections(monkeypatch):
    """The addresses sockets connect to. Loopback goes through; anything else is refused."""
    made, real = [], socket.socket.connect

    def connect(sock, address):
        made.append(address[0])
        if not ipaddress.ip_address(address[0].split("%")[0]).is_loopback:
            raise ConnectionRefusedError(f"tests do not leave this machine ({address[0]})")
        return real(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return made


def test_a_host_that_answers_a_private_address_after_the_check_gets_nowhere(
    sheet_server, dns, connections, settings
):
    settings.SHEET_IMPORT_ALLOW_PRIVATE = False
    dns["sheet.example"] = [PUBLIC, "127.0.0.1"]  # public for the check, loopback afterwards
    sheet_server.routes["/pub.csv"] = (200, GOOD_CSV.encode(), 0)
    port = sheet_server.httpd.server_port

    with pytest.raises(SheetError, match="could not be reached"):
        fetch_sheet_csv(f"http://sheet.example:{port}/pub.csv")

    assert connections == [PUBLIC]
    assert sheet_server.seen == []


def test_a_named_host_is_looked_up_once_and_asked_by_its_name(sheet_server, dns, connections):
    dns["sheet.example"] = ["127.0.0.1"]
    sheet_server.routes["/pub.csv"] = (200, GOOD_CSV.encode(), 0)
    port = sheet_server.httpd.server_port

    assert fetch_sheet_csv(f"http://sheet.example:{port}/pub.csv") == GOOD_CSV

    assert dns.lookups == ["sheet.example"]
    assert connections == ["127.0.0.1"]
    assert sheet_server.seen == [("/pub.csv", f"sheet.example:{port}")]


def test_every_redirect_hop_connects_where_it_was_checked(sheet_server, dns, connections):
    port = sheet_server.httpd.server_port
    dns["sheet.example"] = ["127.0.0.1"]
    dns["cdn.example"] = [PUBLIC, "127.0.0.1"]
    location = f"http://cdn.example:{port}/pub.csv"
    sheet_server.routes["/short"] = (302, b"", 0, {"Location": location})
    sheet_server.routes["/pub.csv"] = (200, GOOD_CSV.encode(), 0)

    with pytest.raises(SheetError, match="could not be reached"):
        fetch_sheet_csv(f"http://sheet.example:{port}/short")

    assert dns.lookups == ["sheet.example", "cdn.example"]
    assert connections == ["127.0.0.1", PUBLIC]
    assert [path for path, _ in sheet_server.seen] == ["/short"]


def test_a_host_with_any_private_address_is_refused(dns, connections, settings):
    settings.SHEET_IMPORT_ALLOW_PRIVATE = False
    dns["sheet.example"] = [(PUBLIC, "10.0.0.5")]
    with pytest.raises(SheetError, match="private network"):
        fetch_sheet_csv("http://sheet.example/pub.csv")
    assert connections == []


def test_a_sheet_link_by_host_name_still_imports(organiser_client, sheet_server, dns):
    dns["sheet.example"] = ["127.0.0.1"]
    sheet_server.routes["/pub.csv"] = (200, GOOD_CSV.encode(), 0)
    url = f"http://sheet.example:{sheet_server.httpd.server_port}/pub.csv"

    response = organiser_client.post(reverse("admin:inventory_entry_import_sheet"), {"url": url})
    assert response.status_code == 200
    response = organiser_client.post(
        reverse("admin:inventory_entry_import_sheet"), {"url": url, "confirm": "1"}
    )

    assert response.status_code == 302
    assert Entry.objects.count() == 3


# HTTPS: a test certificate authority signs the loopback server's certificate.


def _certificate(name, key, issuer_name, issuer_key, *, ca):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(issuer_name or x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), False)
    return builder.sign(issuer_key or key, hashes.SHA256())


@pytest.fixture
def tls_server(tmp_path, monkeypatch, settings):
    """Start a loopback HTTPS server whose certificate names `host`; the import trusts the CA."""
    settings.SHEET_IMPORT_ALLOW_PRIVATE = True
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("Cog test CA", ca_key, None, None, ca=True)
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    monkeypatch.setattr(requests.adapters, "DEFAULT_CA_BUNDLE_PATH", str(tmp_path / "ca.pem"))
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):  # requests.get prefers these
        monkeypatch.delenv(name, raising=False)
    servers = []

    def start(host):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _certificate(host, key, ca.subject, ca_key, ca=False)
        (tmp_path / "server.pem").write_bytes(
            cert.public_bytes(serialization.Encoding.PEM)
            + key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tmp_path / "server.pem")
        server = SheetServer(tls_context=context)
        server.sni = []
        context.sni_callback = lambda sock, name, ctx: server.sni.append(name)
        servers.append(server.__enter__())
        return server

    yield start
    for server in servers:
        server.__exit__()


def test_https_names_the_host_for_sni_and_the_certificate_check(tls_server, dns, connections):
    server = tls_server("sheet.example")
    server.routes["/pub.csv"] = (200, GOOD_CSV.encode(), 0)
    dns["sheet.example"] = ["127.0.0.1"]
    port = server.httpd.server_port

    assert fetch_sheet_csv(f"https://sheet.example:{port}/pub.csv") == GOOD_CSV

    assert dns.lookups == ["sheet.example"]
    assert server.sni == ["sheet.example"]
    assert server.seen == [("/pub.csv", f"sheet.example:{port}")]


def test_https_refuses_a_certificate_for_another_name(tls_server, dns, connections):
    server = tls_server("other.example")
    server.routes["/pub.csv"] = (200, GOOD_CSV.encode(), 0)
    dns["sheet.example"] = ["127.0.0.1"]

    with pytest.raises(SheetError, match="SSLError"):
        fetch_sheet_csv(f"https://sheet.example:{server.httpd.server_port}/pub.csv")
    assert server.seen == []
