"""raretrace: trace controlled rare earths through multi-tier supply chains.

``Settings`` and ``Workspace`` are imported on first use (PEP 562), so that importing
``raretrace`` (every command line run does) does not import the database layer and
every service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from raretrace.errors import (
    BundleError,
    InputError,
    NetworkError,
    NotFoundError,
    Problem,
    RaretraceError,
    StorageError,
)

if TYPE_CHECKING:
    from raretrace.settings import Settings
    from raretrace.workspace import Workspace

__version__ = "0.1.0"

__all__ = [
    "BundleError",
    "InputError",
    "NetworkError",
    "NotFoundError",
    "Problem",
    "RaretraceError",
    "Settings",
    "StorageError",
    "Workspace",
    "__version__",
]


def __getattr__(name: str) -> Any:
    if name == "Settings":
        from raretrace.settings import Settings

        return Settings
    if name == "Workspace":
        from raretrace.workspace import Workspace

        return Workspace
    raise AttributeError(f"module 'raretrace' has no attribute {name!r}")
