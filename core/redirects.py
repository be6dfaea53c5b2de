"""Where a form sends the user back to: its `next`, if that is a path on this site."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, value):
    """`value` if it is an absolute path on this site, else "".

    Only an absolute path is taken, and it must be used as a URL, never a URL name:
    redirect("desk") or redirect("-1") looks up a view by that name and fails with a 500,
    after whatever the form did has already been done.
    """
    value = value or ""
    if value.startswith("/") and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""
