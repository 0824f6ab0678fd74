"""The one import-time app instance, for ``uvicorn raretrace.web.asgi:app``.

Settings come from ``RARETRACE_*`` environment variables. The schema must already be
current (``raretrace init`` or ``raretrace serve`` migrate it once); workers never race
to migrate.
"""

from __future__ import annotations

from raretrace.settings import Settings
from raretrace.web.app import create_app

app = create_app(Settings(), upgrade=False)
