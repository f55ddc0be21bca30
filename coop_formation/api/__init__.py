"""The APIs: ``/api/v1`` (badge verification, personal tokens) and ``/ims/ob/v3p0`` (the
Open Badges 3.0 API and its OAuth 2.0 server). Blueprints live in :mod:`.blueprints`."""
