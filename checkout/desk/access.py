"""Who may use the desk: decided here only, for the views, the live poll and the templates."""

from functools import wraps

from django.core.exceptions import PermissionDenied

DESK_PERMISSION = "checkout.change_hardwarerequest"


def can_use_desk(user):
    """Organisers with the desk permission (the Organisers group has it). Superusers too.

    Costs one query the first time per request (the user's permissions), none after.
    """
    return bool(user.is_authenticated and user.is_active and user.is_staff) and user.has_perm(
        DESK_PERMISSION
    )


def desk_view(site, view):
    """Wrap a desk view in the admin site's sign-in check and `can_use_desk`."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not can_use_desk(request.user):
            raise PermissionDenied
        request.admin_site = site
        return view(request, *args, **kwargs)

    return site.admin_view(checked)
