"""A django-allauth provider for MyMLH (Major League Hacking's identity service, API v4)."""
