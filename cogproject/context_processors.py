from django.conf import settings


def event(request):
    """The event's name for every page's header; touches no database."""
    return {"EVENT_NAME": settings.EVENT_NAME}
