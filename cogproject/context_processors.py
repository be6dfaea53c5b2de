from django.conf import settings
from django.utils.functional import SimpleLazyObject

from checkout.desk.access import can_use_desk


def event(request):
    """The event's name and sign-in options for every page; touches no database."""
    return {
        "EVENT_NAME": settings.EVENT_NAME,
        "MYMLH_ENABLED": settings.MYMLH_ENABLED,
        "ACCOUNT_ALLOW_SIGNUPS": settings.ACCOUNT_ALLOW_SIGNUPS,
    }


def desk_access(request):
    """`can_use_desk` for every template: the one predicate the desk and its poll use too.

    Lazy: a page that never asks costs nothing; asking costs the user's permissions (one
    query, shared with any other permission check in the request), and none for non-staff.
    """
    return {"can_use_desk": SimpleLazyObject(lambda: can_use_desk(request.user))}
