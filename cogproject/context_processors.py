from django.conf import settings


def event(request):
    """The event's name and sign-in options for every page; touches no database."""
    return {
        "EVENT_NAME": settings.EVENT_NAME,
        "MYMLH_ENABLED": settings.MYMLH_ENABLED,
        "ACCOUNT_ALLOW_SIGNUPS": settings.ACCOUNT_ALLOW_SIGNUPS,
    }
