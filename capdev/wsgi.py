"""WSGI entry point used by `capdev serve` (gunicorn, which imports it in each worker)."""

import os

from django.core.wsgi import get_wsgi_application

from capdev.core.runtime import settle_worker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capdev.settings")
application = get_wsgi_application()
settle_worker()
