"""Importing the inventory from a spreadsheet: an uploaded dataset or a published sheet link."""

import contextlib
import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import requests
import tablib
from django.conf import settings
from django.db import transaction
from requests.adapters import HTTPAdapter

from .resources import EntryResource, row_errors


class SheetError(Exception):
    """The sheet could not be fetched or read; the message is for the organiser."""


MAX_REDIRECTS = 5


def check_public_address(url):
    """Look the link's host up, once, and return the address to connect to.

    Every address of the answer is checked, not only the one returned: links into this
    machine's network (loopback, private, link-local such as cloud metadata) are refused, so
    that the import cannot become a way to read internal services. The caller must connect to
    the returned address and not look the name up again (see PinnedAddressAdapter).
    """
    host = urlsplit(url).hostname
    if not host:
        raise SheetError("The link has no host name.")
    try:
        answer = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise SheetError(f"The sheet link's host {host!r} could not be found.") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in answer))  # the resolver's order
    if not settings.SHEET_IMPORT_ALLOW_PRIVATE:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global:
                raise SheetError("The sheet link points into a private network; use a public link.")
    return addresses[0]


class PinnedAddressAdapter(HTTPAdapter):
    """A requests transport that connects each host name only to the address pinned for it.

    Checking a host's addresses and then letting requests look the name up again would let a
    host answer a public address to the check and a private one to the connection (DNS
    rebinding). Here the TCP connection goes to `pins[host]`, and everything else still names
    the host: the Host header, and for https the SNI and the certificate check.

    No proxy is used, nor REQUESTS_CA_BUNDLE (this adapter is called directly, not through a
    Session): a proxy would look the name up itself.
    """

    def __init__(self):
        super().__init__()
        self.pins = {}  # host name -> the checked address to connect to

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):
        host_params, pool_kwargs = self.build_connection_pool_key_attributes(request, verify, cert)
        host = host_params["host"]
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = host  # SNI
            pool_kwargs["assert_hostname"] = host  # the certificate must name the host
        # KeyError for a host nobody checked: this adapter never looks a name up.
        host_params["host"] = self.pins[host]
        return self.poolmanager.connection_from_host(**host_params, pool_kwargs=pool_kwargs)

    def add_headers(self, request, **kwargs):
        # The pool's host is the address: without this the Host header would name it.
        request.headers["Host"] = urlsplit(request.url).netloc.rpartition("@")[2]


def _get(adapter, url, timeout):
    """GET following at most MAX_REDIRECTS redirects. Each hop's host is looked up and
    checked once, and the hop connects to the checked address."""
    for _ in range(MAX_REDIRECTS + 1):
        if not url.lower().startswith(("http://", "https://")):
            raise SheetError("The link must start with http:// or https://.")
        request = requests.Request("GET", url, headers=requests.utils.default_headers())
        request = request.prepare()
        adapter.pins[urlsplit(request.url).hostname] = check_public_address(request.url)
        response = adapter.send(request, stream=True, timeout=timeout)
        if not response.is_redirect:
            return response
        url = urljoin(url, response.headers["Location"])
        response.close()
    raise SheetError("The sheet link redirects too many times.")


def fetch_sheet_csv(url, *, timeout=None, max_bytes=None):
    """GET a published sheet's CSV with a timeout and a size cap. Returns the text."""
    timeout = timeout or settings.SHEET_IMPORT_TIMEOUT
    max_bytes = max_bytes or settings.SHEET_IMPORT_MAX_BYTES
    try:
        with (
            contextlib.closing(PinnedAddressAdapter()) as adapter,
            _get(adapter, url, timeout) as response,
        ):
            if response.status_code != 200:
                raise SheetError(
                    f"The sheet link answered HTTP {response.status_code}; is the sheet "
                    "published to the web as CSV?"
                )
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise SheetError(f"The sheet is larger than {max_bytes // 1024} KiB.")
            body = bytearray()
            for chunk in response.iter_content(64 * 1024):
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise SheetError(f"The sheet is larger than {max_bytes // 1024} KiB.")
    except requests.Timeout as exc:
        raise SheetError(f"The sheet link did not answer within {timeout} seconds.") from exc
    except requests.RequestException as exc:
        raise SheetError(f"The sheet link could not be reached ({type(exc).__name__}).") from exc
    try:
        return bytes(body).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError("The sheet is not UTF-8 CSV text.") from exc


def dataset_from_csv(text):
    try:
        dataset = tablib.Dataset().load(text, format="csv")
    except Exception as exc:  # tablib raises several types for malformed CSV
        raise SheetError(f"The sheet is not readable CSV ({exc}).") from exc
    if "name" not in (dataset.headers or []):
        raise SheetError("The sheet needs a header row with at least a 'name' column.")
    return dataset


class ImportOutcome:
    def __init__(self, result, errors):
        self.result = result
        self.errors = errors

    @property
    def ok(self):
        return not self.errors

    @property
    def totals(self):
        return dict(self.result.totals)


def import_inventory(*, dataset, dry_run):
    """Import entries from a dataset in one transaction: one bad row writes nothing.

    With dry_run the outcome is computed and everything rolled back (a preview).
    """
    resource = EntryResource()
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
        errors = row_errors(result)
        if errors or dry_run:
            transaction.set_rollback(True)
    return ImportOutcome(result, errors)
