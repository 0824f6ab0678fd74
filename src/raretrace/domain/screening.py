"""Restricted-party screening: list entries, hits, their explanations and decisions.

Pure value objects (stdlib only). The matcher lives in ``raretrace.screening``; the
use cases (import, screen, decide, audit) in ``raretrace.services.screening.use_cases``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class ListFormat(StrEnum):
    """The published formats a list can be imported from."""

    CSL = "csl"  #: US Consolidated Screening List CSV (data.trade.gov)
    FTM = "ftm"  #: FollowTheMoney entity JSON lines (OpenSanctions)
    MOFCOM = "mofcom"  #: simple CSV for MOFCOM Control / Watch / Unreliable Entity lists
    UN = "un"  #: UN Security Council Consolidated List XML (scsanctions.un.org)
    UK = "uk"  #: UK OFSI Consolidated List of Financial Sanctions Targets (XLSX or CSV)
    INTERNAL = "internal"  #: the user's own list, same simple CSV


#: What each format is, as the CLI's help and the web app's import form name it.
FORMAT_NAMES: dict[ListFormat, str] = {
    ListFormat.CSL: "US Consolidated Screening List CSV",
    ListFormat.FTM: "FollowTheMoney JSON lines (OpenSanctions)",
    ListFormat.MOFCOM: "MOFCOM lists of China (CSV)",
    ListFormat.UN: "UN Security Council Consolidated List XML",
    ListFormat.UK: "UK OFSI Consolidated List (XLSX or CSV)",
    ListFormat.INTERNAL: "your own list (CSV)",
}


#: List kinds an entry can carry, with the names sources use for them.
LIST_KINDS: dict[str, tuple[str, ...]] = {
    "control": (
        "export control list",
        "export control control list",
        "control list",
        "list of export controls",  # OpenSanctions cn_sanctions
        "cn-ecl",
        "管控名单",
        "出口管制管控名单",
    ),
    "watch": ("watch list", "export control watch list", "cn-wl", "关注名单", "出口管制关注名单"),
    #: on one of China's export-control lists, which one the source does not say
    "export_control": ("export control list (kind not stated)", "export control"),
    "unreliable": ("unreliable entity list", "uel", "cn-uel", "不可靠实体清单"),
    "countermeasure": (
        "countermeasure list",
        "countermeasures",
        "list of targets of countermeasures",
        "afsl",
        "cn-afsl",
        "cn-cml",
        "反制清单",
        "反制措施",
    ),
    #: the Taiwan Affairs Office's lists of "Taiwan independence" diehards and of their
    #: henchmen and accomplices (punished by the TAO; not export-control lists)
    "taiwan_independence": (
        "diehard taiwan independence separatists",
        "henchmen and accomplices of taiwan independence",
        "台独顽固分子",
        "台独顽固分子清单",
        "台独打手帮凶",
        "台独打手帮凶清单",
    ),
}


_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")


def _norm(text: str) -> str:
    """Lower case, quotes dropped, ``_`` and ``-`` as spaces, spaces folded."""
    text = text.translate(_QUOTES).strip().lower().replace("_", " ").replace("-", " ")
    return " ".join(text.split())


def list_kind_of(text: str) -> str | None:
    """The list kind a source's wording names ("" for empty text, None if unknown)."""
    t = _norm(text)
    if not t:
        return ""
    for kind, names in LIST_KINDS.items():
        if t == _norm(kind) or t in {_norm(n) for n in names}:
            return kind
    if t.startswith("decision on countermeasures"):  # cn_sanctions' MFA decisions
        return "countermeasure"
    return None


class HitKind(StrEnum):
    NAME = "name"  #: the subject's name matched a list entry
    OWNERSHIP = "ownership"  #: the subject is >= 50 % owned by a listed party


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One restricted party as published on a list.

    ``entry_key`` is stable across versions of the same list (the publisher's id where
    there is one, else a fingerprint of the entry), so re-imports can be diffed.
    """

    entry_key: str
    name: str
    aliases: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    entity_type: str = ""
    source: str = ""  #: sub-list as published, e.g. "Entity List (EL) - Bureau of ..."
    license_policy: str = ""  #: e.g. "Presumption of denial."
    remarks: str = ""
    #: which list the entry is on, as the source names it (see ``LIST_KINDS``): for
    #: China's lists "control" (Export Control List, 管控名单), "watch" (Watch List,
    #: 关注名单), "export_control" (one of the two, not stated which), "unreliable"
    #: (Unreliable Entity List), "countermeasure"; "" unknown or another country's list
    list_kind: str = ""
    #: registration numbers as (scheme, value): ``uscc``, ``lei``, ``imo``, ``inn``,
    #: ``ogrn``, ``registration``, ``tax``, ... (see ``screening.ids``)
    ids: tuple[tuple[str, str], ...] = ()
    #: dates of birth as the list gives them (several where it gives several), in a
    #: subset of EDTF: "1965-03-12", "1965-03", "1965", "1965~" (circa), "1960/1962"
    #: (a range); see ``screening.births``
    dates_of_birth: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class ListVersion:
    """One imported version of a list; ``version_id`` is assigned by storage."""

    list_name: str
    format: ListFormat
    source: str
    version_date: date
    loaded_at: datetime
    entry_count: int
    version_id: int | None = None


@dataclass(frozen=True, slots=True)
class ListDiff:
    """What a re-import changed against the previous version of the same list."""

    list_name: str
    previous_version_date: date | None
    added: tuple[str, ...] = ()  #: entry names
    removed: tuple[str, ...] = ()
    unchanged: int = 0
    #: entries kept under the same key with anything about them changed (names,
    #: aliases, countries, addresses, numbers, list kind, ...)
    changed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FeatureContribution:
    """How much one matching feature added to (or took from) a hit's score.

    ``value`` is the feature's raw value in [0, 1]; ``contribution`` is what it
    added to the score (``weight * value`` for additive features, signed for
    adjustments such as a country mismatch).
    """

    feature: str
    weight: float
    value: float
    contribution: float
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Subject:
    """What is being screened: a free-text name or a workspace party."""

    name: str
    party_id: str | None = None
    country: str = ""
    addresses: tuple[str, ...] = ()
    #: registration numbers as (scheme, value), e.g. ``("uscc", "91110000...")``
    ids: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Decision:
    """A reviewer's verdict on a hit; reused while the hit key stays the same."""

    hit_key: str
    is_match: bool
    reason: str
    decided_by: str
    decided_at: datetime
    hit_id: int | None = None
    decision_id: int | None = None


@dataclass(frozen=True, slots=True)
class OwnershipLink:
    """One step of an ownership path: ``owner`` holds ``pct`` % of ``owned``."""

    owner_party_id: str
    owned_party_id: str
    pct: float


@dataclass(frozen=True, slots=True)
class Hit:
    """A subject that matched a list entry (by name, or through ownership).

    ``score`` is in [0, 1] and ``threshold`` is the one the hit passed; ``features``
    explains the score. For ownership hits ``path`` runs from the listed owner down to
    the subject and ``score`` is the score of the owner's own name hit.
    """

    hit_key: str
    kind: HitKind
    subject: Subject
    list_name: str
    list_version_id: int | None
    entry: ListEntry
    matched_name: str
    score: float
    threshold: float
    features: tuple[FeatureContribution, ...] = ()
    path: tuple[OwnershipLink, ...] = ()
    decision: Decision | None = None
    hit_id: int | None = None

    @property
    def band(self) -> str:
        """``hit`` when the score reached the match threshold, ``review`` for a near
        miss (screened with a lower review threshold, shown for a reviewer to clear)."""
        return "hit" if self.score >= self.threshold else "review"

    @property
    def status(self) -> str:
        """``open``, ``match`` or ``no-match``."""
        if self.decision is None:
            return "open"
        return "match" if self.decision.is_match else "no-match"


@dataclass(frozen=True, slots=True)
class ScreeningRun:
    """One screening run: what was screened, against which list versions, and when."""

    scope: str  #: "name", "party" or "all"
    query: str
    threshold: float
    started_at: datetime
    list_version_ids: tuple[int, ...]
    subjects: int
    hits: tuple[Hit, ...] = field(default=())
    run_id: int | None = None

    @property
    def open_hits(self) -> tuple[Hit, ...]:
        return tuple(h for h in self.hits if h.decision is None)

    @property
    def matches(self) -> tuple[Hit, ...]:
        """Hits at or above the match threshold."""
        return tuple(h for h in self.hits if h.band == "hit")

    @property
    def near_misses(self) -> tuple[Hit, ...]:
        """Hits below the match threshold, above the review threshold of the run."""
        return tuple(h for h in self.hits if h.band == "review")


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One line of the audit trail (CSV export for auditors)."""

    at: datetime
    action: str  #: list_import | screen | hit | decision
    actor: str
    run_id: int | None = None
    hit_id: int | None = None
    subject: str = ""
    party_id: str = ""
    list_name: str = ""
    list_version_date: date | None = None
    list_loaded_at: datetime | None = None
    entry: str = ""
    score: float | None = None
    threshold: float | None = None
    decision: str = ""
    reason: str = ""
    detail: str = ""


__all__ = [
    "FORMAT_NAMES",
    "AuditRow",
    "Decision",
    "FeatureContribution",
    "Hit",
    "HitKind",
    "ListDiff",
    "ListEntry",
    "ListFormat",
    "ListVersion",
    "OwnershipLink",
    "ScreeningRun",
    "Subject",
]
