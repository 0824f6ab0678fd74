"""Licence applications (pure): items, document checklist, status workflow, deadline.

Document list and end-user-certificate commitments follow the regime fact sheet §9.6
(statutory terms of the 2024 Dual-Use Export Control Regulations and MOFCOM's 办事指南,
grade B) and §2 (extra evidence, grade C). The official MOFCOM forms were not retrieved:
where no statutory term exists the Chinese labels are raretrace's translations.
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


#: The checklist. Rows 1-7 are the Regulations' document list in the statutory terms
#: (regime.md §9.6, grade B: 2024 两用物项出口管制条例; the contract is a 副本, the
#: end-user proof is 最终用户和最终用途证明 (原件，含中文译件), and the list closes with
#: the catch-all 国务院商务主管部门规定提交的其他文件). The last three rows are the extra
#: evidence demanded from late 2025 (regime.md §2, grade C). The English labels are
#: raretrace's translations.
DOCUMENTS: tuple[DocKind, ...] = (
    DocKind("application_form", "Dual-use items export licence application form",
            "两用物项出口许可申请表", "Regulations; regime.md §2 (1)"),
    DocKind("identity",
            "Identity documents of the applicant's legal representative, principal "
            "manager and the person handling the application",
            "申请人的法定代表人、主要经营管理人以及经办人的身份证明",
            "Regulations; regime.md §9.6"),
    DocKind("contract", "Copy (副本) of the contract or agreement", "合同或者协议的副本",
            "Regulations; regime.md §9.6"),
    DocKind("technical_spec", "Technical description or test report of the item",
            "物项技术说明或检测报告", "Regulations; regime.md §2 (4)"),
    DocKind("euc", "End-user and end-use certificate (original, with Chinese translation)",
            "最终用户和最终用途证明（原件，含中文译件）", "Regulations; regime.md §9.6"),
    DocKind("party_intro", "Introduction of the importer and end user (with Chinese translation)",
            "进口商和最终用户情况介绍（含中文译件）", "regime.md §2 (6)"),
    DocKind("other_required", "Other documents required by the State Council's commerce "
            "department (MOFCOM)", "国务院商务主管部门规定提交的其他文件",
            "Regulations (catch-all); regime.md §9.6"),
    DocKind("site_photos", "Photos of the end user's real production sites",
            "最终用户实际生产场所照片", "extra evidence since late 2025 (regime.md §2)"),
    DocKind("product_pictures",
            "Pictures or 3-D models of the product showing where the magnet sits",
            "显示磁体所在位置的产品图片或三维模型",
            "extra evidence since late 2025 (regime.md §2)"),
    DocKind("transaction_history", "History of transactions between exporter and customer",
            "出口经营者与客户的交易历史记录", "extra evidence since late 2025 (regime.md §2)"),
)  # fmt: skip
DOC_KEYS = {d.key: d for d in DOCUMENTS}

#: End-user certificate commitments. The first three follow MOFCOM's 办事指南 wording
#: quoted in regime.md §9.6 (grade B: 未经中国政府允许，不将上述物项用于申明的最终用途
#: 以外的其他用途，不向申明的最终用户以外的第三方转让; 大规模杀伤性武器及其运载工具);
#: the last three are what 2025 practice adds (regime.md §9.6; Ann. 2025 No. 61 points
#: 2-3): not for military use or military end users, not for terrorism, cooperation with
#: end-use verification (核查). The subject is the end user ("We, the end user").
EUC_COMMITMENTS: tuple[tuple[str, str], ...] = (
    (
        "We, the end user, will not use the above items for any purpose other than the "
        "declared end use without the permission of the Chinese government.",
        "我方（最终用户）承诺：未经中国政府允许，不将上述物项用于申明的最终用途以外的其他用途。",
    ),
    (
        "We will not transfer the above items to any third party other than the declared "
        "end user without the permission of the Chinese government.",
        "我方承诺：未经中国政府允许，不向申明的最终用户以外的第三方转让上述物项。",
    ),
    (
        "We will not use the above items for weapons of mass destruction or their "
        "delivery vehicles.",
        "我方承诺：不将上述物项用于大规模杀伤性武器及其运载工具。",
    ),
    (
        "We will not use the above items for military purposes, nor supply them to "
        "military end users.",
        "我方承诺：不将上述物项用于军事用途，不提供给军事最终用户。",
    ),
    (
        "We will not use the above items for terrorism.",
        "我方承诺：不将上述物项用于恐怖主义目的。",
    ),
    (
        "We will cooperate with end-use and end-user verification by the Chinese government.",
        "我方承诺：配合中国政府开展的最终用户和最终用途核查。",
    ),
)


class DocState(StrEnum):
    MISSING = "missing"
    ATTACHED = "attached"
    WAIVED = "waived"

    @property
    def label_zh(self) -> str:
        """未提交 / 已提交 / 免于提交 (the terms of the issue and regime.md §9.6)."""
        return _STATE_ZH[self]


_STATE_ZH = {DocState.MISSING: "未提交", DocState.ATTACHED: "已提交", DocState.WAIVED: "免于提交"}


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
    """One item. ``hs_code`` (商品编码) defaults to the part's; ``spec_model`` is the
    specification or model (规格/型号); ``name_zh`` the Chinese name (商品名称). The
    quantity is a mass, so the unit on the licence face is the kilogram (千克)."""

    part_id: str
    description: str
    control_codes: tuple[str, ...]
    mass_mg: int
    value: Decimal
    currency: str
    hs_code: str = ""
    spec_model: str = ""
    name_zh: str = ""

    @property
    def kg(self) -> Decimal:
        return Decimal(self.mass_mg) / 1_000_000

    @property
    def unit_price(self) -> Decimal | None:
        """Value per kilogram (单价), to the cent; None for a zero mass."""
        if self.mass_mg <= 0:
            return None
        return (self.value / self.kg).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class LicenceFace:
    """Particulars of the licence face that the network does not know (regime.md §9.6
    "Licence face fields", grade C: 贸易方式, 合同号 and its date, 报关口岸, 付款方式,
    运输方式, 收货人, 出口商/发货人, 总值折美元). Empty text means unknown: the packet
    prints 待填写. ``consignor``/``consignee`` are site or party ids or free text; when
    empty the exporter and the importer are meant. ``total_usd`` is needed only when the
    values are not in USD (raretrace converts nothing itself)."""

    trade_mode: str = ""
    port_of_declaration: str = ""
    payment: str = ""
    transport: str = ""
    consignor: str = ""
    consignee: str = ""
    contract_date: date | None = None
    total_usd: Decimal | None = None


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
    face: LicenceFace = field(default_factory=LicenceFace)

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
