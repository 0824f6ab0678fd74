"""raretrace: trace controlled rare earths through multi-tier supply chains."""

from __future__ import annotations

from raretrace.errors import (
    BundleError,
    InputError,
    NetworkError,
    NotFoundError,
    Problem,
    RaretraceError,
    StorageError,
)
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
