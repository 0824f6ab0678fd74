"""The raretrace web app: FastAPI, server-rendered pages, each with a JSON twin.

``create_app(settings)`` in ``app.py`` builds it; ``asgi.py`` holds the one import-time
instance for ``uvicorn raretrace.web.asgi:app``.
"""
