"""WSGI entry point: ``gunicorn wsgi:app``."""

from coop_formation import create_app

app = create_app()
