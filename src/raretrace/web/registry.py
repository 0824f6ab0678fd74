"""What the app shows in its navigation and module cards. Extension point: a new page
family adds a ``NavItem`` here and its router module to ``routes.MODULES``."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.util import find_spec

from raretrace.domain.users import UserRole
from raretrace.web.schemas_dashboard import ModuleCardPublic


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    path: str
    role: UserRole = UserRole.VIEWER


NAV: tuple[NavItem, ...] = (
    NavItem("Dashboard", "/"),
    NavItem("Parts", "/parts"),
    NavItem("Suppliers", "/suppliers"),
    NavItem("Rules", "/rules"),
    NavItem("Screening", "/screening"),
    NavItem("Licences", "/licences"),
    NavItem("Simulation", "/simulation"),
    NavItem("Market", "/market"),
    NavItem("Surveys", "/surveys"),
    NavItem("Rates", "/rates"),
    NavItem("Import", "/import", UserRole.EDITOR),
    NavItem("Users", "/admin/users", UserRole.ADMIN),
)

#: (card name, module that provides it, what it shows, its page or None while the page
#: is still to come). A page family that lands sets its url here.
PLANNED_MODULES: tuple[tuple[str, str, str, str | None], ...] = (
    (
        "Tracing",
        "raretrace.services.tracing.service",
        "rolled-up content, origin shares, supplier exposure",
        "/suppliers",
    ),
    (
        "Classification",
        "raretrace.services.classification.use_cases",
        "control-list verdicts",
        "/rules",
    ),
    ("Screening", "raretrace.services.screening.use_cases", "restricted-party hits", "/screening"),
    (
        "Licences",
        "raretrace.services.licensing.service",
        "applications due, balances, expiry",
        "/licences",
    ),
    (
        "Simulation",
        "raretrace.services.simulation.runs",
        "stop probabilities, inventory curves",
        "/simulation",
    ),
)


def module_cards() -> list[ModuleCardPublic]:
    """One card per planned module: open (with its page), installed (page to come) or
    not available yet."""
    cards = []
    for name, module, what, url in PLANNED_MODULES:
        available = find_spec(module) is not None
        if available and url:
            state = "open"
        elif available:
            state = "installed; its pages are on the way"
        else:
            state = "not available yet"
        cards.append(
            ModuleCardPublic(
                name=name,
                available=available,
                detail=f"{what}: {state}",
                url=url if available else None,
            )
        )
    return cards
