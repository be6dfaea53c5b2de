"""The WSGI application gunicorn serves (gunicorn.conf.py): Django's, with unchanged live polls
answered in front of it (core/live_wsgi.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cogproject.settings")

django_application = get_wsgi_application()  # sets Django up: models import after it

from core.live_wsgi import UnchangedPolls  # noqa: E402

application = UnchangedPolls(django_application)
