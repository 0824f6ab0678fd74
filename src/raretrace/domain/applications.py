"""Licence applications (pure): items, document checklist, status workflow, deadline.

Document list and end-user-certificate commitments follow the regime fact sheet §2
(secondary sources, quality C; the official MOFCOM templates were not retrieved). The
Chinese labels are raretrace's own translations for convenience, not the official form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from raretrace.domain.calendar import WorkingCalendar
from raretrace.domain.clock import china_day
from raretrace.errors import InputError, Problem


class AppStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    INFO_REQUESTED = "info_requested"
    APPROVED = "approved"
    DENIED = "denied"
    WITHDRAWN = "withdrawn"


_DECIDED = {AppStatus.APPROVED, AppStatus.DENIED, AppStatus.WITHDRAWN}
OPEN = frozenset({AppStatus.SUBMITTED, AppStatus.UNDER_REVIEW, AppStatus.INFO_REQUESTED})
TRANSITIONS: dict[AppStatus, frozenset[AppStatus]] = {
    AppStatus.DRAFT: frozenset({AppStatus.SUBMITTED, AppStatus.WITHDRAWN}),
    AppStatus.SUBMITTED: frozenset({AppStatus.UNDER_REVIEW, AppStatus.INFO_REQUESTED, *_DECIDED}),
    AppStatus.UNDER_REVIEW: frozenset({AppStatus.INFO_REQUESTED, *_DECIDED}),
    AppStatus.INFO_REQUESTED: frozenset({AppStatus.UNDER_REVIEW, *_DECIDED}),
    AppStatus.APPROVED: frozenset(),
    AppStatus.DENIED: frozenset(),
    AppStatus.WITHDRAWN: frozenset(),
}


@dataclass(frozen=True, slots=True)
class DocKind:
    key: str
    label_en: str
    label_zh: str
    basis: str  # where the requirement comes from (fact sheet row)


#: The checklist, in the order of the fact sheet §2 "Required documents" and
#: "Extra evidence demanded from late 2025".
DOCUMENTS: tuple[DocKind, ...] = (
    DocKind("application_form", "Dual-use items export licence application form",
            "两用物项出口许可申请表", "required documents (1)"),
    DocKind("identity", "ID of legal representative, key manager and handler",
            "法定代表人、主要经营管理人员及经办人身份证明", "required documents (2)"),
    DocKind("contract", "Copy of the contract or agreement", "合同或协议复印件",
            "required documents (3)"),
    DocKind("technical_spec", "Technical description or test report of the item",
            "物项技术说明或检测报告", "required documents (4)"),
    DocKind("euc", "End-user and end-use certificate (original, with Chinese translation)",
            "最终用户和最终用途证明（原件，附中文译本）", "required documents (5)"),
    DocKind("party_intro", "Introduction of the importer and end user (with Chinese translation)",
            "进口商和最终用户情况介绍（附中文译本）", "required documents (6)"),
    DocKind("site_photos", "Photos of the end user's real production sites",
            "最终用户实际生产场所照片", "extra evidence since late 2025"),
    DocKind("product_pictures",
            "Pictures or 3-D models of the product showing where the magnet sits",
            "显示磁体所在位置的产品图片或三维模型", "extra evidence since late 2025"),
    DocKind("transaction_history", "History of transactions between exporter and customer",
            "出口经营者与客户的交易历史记录", "extra evidence since late 2025"),
)  # fmt: skip
DOC_KEYS = {d.key: d for d in DOCUMENTS}

#: End-user certificate commitments as summarised by the fact sheet §2 (quality C).
EUC_COMMITMENTS: tuple[tuple[str, str], ...] = (
    (
        "Without prior approval of the Chinese government, we will not use the items for "
        "any purpose other than the declared end use.",
        "未经中国政府事先批准，不将物项用于所声明最终用途以外的用途。",
    ),
    (
        "Without prior approval of the Chinese government, we will not transfer the items "
        "to any party other than the declared end user.",
        "未经中国政府事先批准，不将物项转让给所声明最终用户以外的任何第三方。",
    ),
    (
        "We will not use the items for weapons of mass destruction or their delivery systems.",
        "不将物项用于大规模杀伤性武器及其运载工具。",
    ),
)


class DocState(StrEnum):
    MISSING = "missing"
    ATTACHED = "attached"
    WAIVED = "waived"


@dataclass(frozen=True, slots=True)
class DocEvent:
    """Attach or waive one document (append-only; the newest event per key wins)."""

    key: str
    state: DocState
    reference: str  # file path or reference for an attachment; reason for a waiver
    at: datetime
    actor: str


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    kind: DocKind
    state: DocState
    reference: str
    at: datetime | None
    actor: str


def checklist(events: list[DocEvent]) -> list[ChecklistRow]:
    latest: dict[str, DocEvent] = {}
    for e in events:
        latest[e.key] = e
    rows = []
    for d in DOCUMENTS:
        ev = latest.get(d.key)
        if ev is None:
            rows.append(ChecklistRow(d, DocState.MISSING, "", None, ""))
        else:
            rows.append(ChecklistRow(d, ev.state, ev.reference, ev.at, ev.actor))
    return rows


@dataclass(frozen=True, slots=True)
class AppItem:
    part_id: str
    description: str
    control_codes: tuple[str, ...]
    mass_mg: int
    value: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class StatusChange:
    status: AppStatus
    at: datetime
    actor: str
    note: str


@dataclass(frozen=True, slots=True)
class Application:
    application_id: int | None
    exporter: str  # site or party id
    importer: str  # party id
    end_user: str  # party id
    destination: str  # ISO 3166 alpha-2
    items: tuple[AppItem, ...]
    contract_ref: str
    end_use: str
    licence_type: str  # requested: single | general
    rule_pack: str
    review_working_days: int
    created_at: datetime
    created_by: str
    history: tuple[StatusChange, ...] = field(default=())

    @property
    def status(self) -> AppStatus:
        return self.history[-1].status if self.history else AppStatus.DRAFT

    @property
    def submitted_on(self) -> date | None:
        """Day of the latest submission in China Standard Time (the clock's start; see
        ``Deadline``): a submission at 07:00 Beijing time is that day, not the UTC day
        before."""
        subs = [h for h in self.history if h.status is AppStatus.SUBMITTED]
        return china_day(subs[-1].at) if subs else None


def check_transition(
    app: Application, new: AppStatus, at: datetime, now: datetime | None = None
) -> None:
    """Refuse a status change the workflow does not allow, an event dated before the
    previous event, or (given ``now``) an event dated in the future.

    Event times are what the user says they are: an application entered in raretrace
    today may have been submitted last month, so the record's ``created_at`` (record
    keeping) does not bound them.
    """
    if new not in TRANSITIONS[app.status]:
        allowed = ", ".join(sorted(TRANSITIONS[app.status])) or "none (final)"
        raise InputError(
            f"application {app.application_id}: cannot go from {app.status} to {new}",
            [Problem("status", None, None, f"allowed from {app.status}: {allowed}")],
        )
    if app.history and at < app.history[-1].at:
        last = app.history[-1].at
        raise InputError(
            f"application {app.application_id}: {at.isoformat()} is before the previous "
            f"event at {last.isoformat()} (dates out of order)"
        )
    if now is not None and at > now:
        raise InputError(
            f"application {app.application_id}: {at.isoformat()} is in the future "
            f"(now {now.isoformat()}); record an event once it has happened"
        )


@dataclass(frozen=True, slots=True)
class Deadline:
    """Review deadline in working days from the submission date.

    What starts the clock (submission or MOFCOM's acceptance), whether requests for
    more information pause it, and which article sets the 45 working days were not
    found (fact sheet §8.3): raretrace counts from the submission date and does not
    pause. Reviews referred to the State Council are not bound by the limit.
    """

    submitted_on: date | None
    working_days: int
    due_on: date | None
    remaining: int | None  # working days from today to due_on (negative when overdue)
    overdue: bool
    due_soon: bool
    estimated: bool  # the due date lies in a year without a published holiday arrangement
    note: str


SOON_WORKING_DAYS = 5
CLOCK_NOTE = (
    "Counted from the submission date in working days (China public holidays and adjusted "
    "working days); the start event, pauses and legal article are not confirmed."
)


def deadline(app: Application, cal: WorkingCalendar, today: date) -> Deadline:
    start = app.submitted_on
    if start is None:
        return Deadline(None, app.review_working_days, None, None, False, False, False,
                        CLOCK_NOTE)  # fmt: skip
    due = cal.add_working_days(start, app.review_working_days)
    remaining = cal.working_days_between(today, due)
    is_open = app.status in OPEN
    return Deadline(
        submitted_on=start,
        working_days=app.review_working_days,
        due_on=due,
        remaining=remaining,
        overdue=is_open and today > due,
        due_soon=is_open and today <= due and remaining <= SOON_WORKING_DAYS,
        estimated=cal.estimated(due),
        note=CLOCK_NOTE,
    )
