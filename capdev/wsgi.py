"""WSGI entry point used by `capdev serve` (gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capdev.settings")
application = get_wsgi_application()
