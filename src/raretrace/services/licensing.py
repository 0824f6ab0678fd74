"""Licence applications, licences and the licence ledger (use cases).

Every method opens its own unit of work. Drawdowns and reversals lock the licence first
(``LicenceRepository.lock_licence``), so two shipments racing for the last balance are
serialised on SQLite and PostgreSQL alike. Bad input raises ``InputError`` before
anything is written; a shipment that breaks the licence is *rejected* (``ShipResult``
with its violations) and nothing is booked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal

from raretrace.analytics.where_used import Direction
from raretrace.domain.applications import (
    DOC_KEYS,
    AppItem,
    Application,
    AppStatus,
    ChecklistRow,
    Deadline,
    DocEvent,
    DocState,
    LicenceFace,
    StatusChange,
    check_transition,
    checklist,
    deadline,
)
from raretrace.domain.calendar import WorkingCalendar
from raretrace.domain.clock import CHINA_TZ, Clock
from raretrace.domain.ledger import (
    Balance,
    DrawdownRequest,
    EntryKind,
    LedgerEntry,
    Violation,
    ViolationCode,
    active_drawdowns,
    balances,
    check_drawdown,
    issue_entries,
)
from raretrace.domain.licences import (
    Licence,
    LicenceType,
    check_currency,
    parse_mass,
    parse_money,
    validate_licence,
)
from raretrace.domain.network import Network
from raretrace.domain.parties import Party
from raretrace.errors import InputError, NotFoundError, Problem
from raretrace.rules import Determination
from raretrace.services import users as audit
from raretrace.services.calendar import calendar_covering
from raretrace.services.classification import Shipment
from raretrace.services.licence_io import (
    LedgerDump,
    read_ledger_jsonl,
    read_licences_csv,
    write_ledger_jsonl,
)
from raretrace.services.tracing import TracingService
from raretrace.storage.ports import UnitOfWork

DEFAULT_REVIEW_WORKING_DAYS = 45
CHAIN_NOTE = (
    "From the network's where-used paths; quantities are planned production x "
    "BOM quantity x supply share, not a forecast."
)


def calendar_for(*days: date | None) -> WorkingCalendar:
    """The China working-day calendar covering ``days`` (see ``services.calendar``)."""
    return calendar_covering(*days)


# -- results ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChainStep:
    site: str
    party: str
    party_name: str
    country: str
    part: str
    part_name: str
    party_name_zh: str = ""
    part_name_zh: str = ""


@dataclass(frozen=True, slots=True)
class ChainRow:
    """One downstream path from the consignee's site to a final product."""

    steps: tuple[ChainStep, ...]
    units_per_product: float  # shipped units per unit of the final product (with shares)
    products_per_year: float | None  # planned output of the final product at its plant
    units_per_year: float | None
    kg_per_year: float | None

    @property
    def text(self) -> str:
        return " → ".join(f"{s.part_name} at {s.party_name} ({s.country})" for s in self.steps)


@dataclass(frozen=True, slots=True)
class EndUseChain:
    part_id: str
    rows: tuple[ChainRow, ...]
    truncated: bool
    total_kg_per_year: float | None
    note: str


@dataclass(frozen=True, slots=True)
class PartyInfo:
    ref: str
    party_id: str
    name: str
    country: str
    address: str  # the party's full address; else city and country of the site; else ""
    name_zh: str = ""  # registered Chinese name
    address_zh: str = ""
    uscc: str = ""  # 统一社会信用代码
    contact: str = ""
    telephone: str = ""
    site_name: str = ""  # the site named as exporter/end user, if a site was named


@dataclass(frozen=True, slots=True)
class ApplicationView:
    application: Application
    parties: dict[str, PartyInfo]  # exporter / importer / end_user
    checklist: tuple[ChecklistRow, ...]
    blocking: tuple[str, ...]  # document keys still missing
    deadline: Deadline
    chain: EndUseChain
    warnings: tuple[str, ...]
    calendar_source: str


@dataclass(frozen=True, slots=True)
class LicenceView:
    licence: Licence
    balances: tuple[Balance, ...]
    used: bool
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ShipmentInput:
    shipment_id: str
    part_id: str
    quantity: str  # mass text, e.g. "10 kg"
    value: str
    currency: str
    exporter: str = ""
    consignee: str = ""
    end_user: str = ""
    destination: str = ""
    shipped_on: date | None = None
    end_use: str = ""


@dataclass(frozen=True, slots=True)
class ShipResult:
    shipment_id: str
    licence_id: str | None
    accepted: bool
    violations: tuple[Violation, ...]
    entry: LedgerEntry | None
    balance: Balance | None
    determination: str  # outcome of the rules when no licence was given; else ""
    #: The shipment id was already booked with the same details: ``entry`` is that
    #: first booking, and nothing new was written (a retry after a timeout is safe).
    duplicate: bool = False


@dataclass(frozen=True, slots=True)
class ItemInput:
    part_id: str
    quantity: str
    value: str
    currency: str
    hs_code: str = ""  # default: the part's hs_code
    spec_model: str = ""


class LicensingService:
    def __init__(
        self,
        uow: Callable[[], AbstractContextManager[UnitOfWork]],
        *,
        network: Callable[[], Network],
        tracing: TracingService,
        determine: Callable[[Shipment, date], Determination],
        classify: Callable[[str, date], Determination],
        review_working_days: int = DEFAULT_REVIEW_WORKING_DAYS,
        review_days_by_pack: dict[str, int] | None = None,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._network = network
        self._tracing = tracing
        self._determine = determine
        self._classify = classify
        self._review_days = review_working_days
        self._by_pack = dict(review_days_by_pack or {})
        self._clock = clock

    # -- applications ------------------------------------------------------------------

    def create_application(
        self,
        *,
        exporter: str,
        importer: str,
        items: list[ItemInput],
        end_user: str | None = None,
        destination: str | None = None,
        contract_ref: str = "",
        end_use: str = "",
        licence_type: str = "single",
        actor: str,
        as_of: date | None = None,
        face: LicenceFace | None = None,
    ) -> ApplicationView:
        net = self._network()
        now = self._clock.now()
        as_of = as_of or now.date()
        exp = _party(net, exporter, "exporter")
        imp = _party(net, importer, "importer")
        eu = _party(net, end_user or importer, "end_user")
        dest = (destination or eu.country).upper()
        if not dest or len(dest) != 2:
            raise InputError(f"destination: {dest!r} is not an ISO 3166 alpha-2 country code")
        if licence_type not in {t.value for t in LicenceType}:
            raise InputError(f"licence type {licence_type!r}: use single or general")
        if not items:
            raise InputError("an application needs at least one item (--part)")
        parts = {p.part_id: p for p in net.parts}
        app_items, packs = [], []
        for n, it in enumerate(items, 1):
            where = f"item {n}"
            if it.part_id not in parts:
                raise NotFoundError(f"{where}: no part {it.part_id!r} in the workspace")
            verdict = self._classify(it.part_id, as_of)
            packs += [r.pack for r in verdict.fired]
            app_items.append(
                AppItem(
                    part_id=it.part_id,
                    description=parts[it.part_id].name,
                    control_codes=verdict.control_codes,
                    mass_mg=parse_mass(it.quantity, where=f"{where} quantity", default_unit="kg"),
                    value=parse_money(it.value, where=f"{where} value"),
                    currency=check_currency(it.currency, where=f"{where} currency"),
                    hs_code=check_hs_code(it.hs_code or parts[it.part_id].hs_code, where),
                    spec_model=it.spec_model.strip(),
                    name_zh=parts[it.part_id].name_zh,
                )
            )
        pack = packs[0] if packs else ""
        app = Application(
            application_id=None,
            exporter=exporter,
            importer=importer,
            end_user=end_user or importer,
            destination=dest,
            items=tuple(app_items),
            contract_ref=contract_ref,
            end_use=end_use,
            licence_type=licence_type,
            rule_pack=pack,
            review_working_days=self._by_pack.get(pack, self._review_days),
            created_at=now,
            created_by=actor,
            face=face or LicenceFace(),
        )
        if app.face.total_usd is not None and app.face.total_usd < 0:
            raise InputError(f"total in USD: {app.face.total_usd} must not be negative")
        del exp, imp
        with self._uow() as uow:
            app_id = uow.licences.add_application(app)
        return self.application(app_id, today=as_of)

    def application(self, application_id: int, *, today: date | None = None) -> ApplicationView:
        today = today or self._clock.today()
        with self._uow() as uow:
            app = uow.licences.application(application_id)
            if app is None:
                raise NotFoundError(f"no licence application {application_id}")
            events = uow.licences.doc_events(application_id)
        return self._view(app, events, today)

    def applications(self, *, today: date | None = None) -> list[ApplicationView]:
        today = today or self._clock.today()
        with self._uow() as uow:
            apps = [
                (a, uow.licences.doc_events(a.application_id or 0))
                for a in uow.licences.applications()
            ]
        return [self._view(a, e, today) for a, e in apps]

    def applications_with_events(self) -> list[tuple[Application, list[DocEvent]]]:
        """Every application with its document events, in one read (no end-use chain,
        no deadline: for lists that compute those themselves)."""
        with self._uow() as uow:
            return [
                (a, uow.licences.doc_events(a.application_id or 0))
                for a in uow.licences.applications()
            ]

    def records(self) -> tuple[list[Licence], list[Application]]:
        """Every licence and every application as stored (no balances), in one read."""
        with self._uow() as uow:
            return uow.licences.licences(), uow.licences.applications()

    def _view(self, app: Application, events: list[DocEvent], today: date) -> ApplicationView:
        net = self._network()
        rows = checklist(events)
        cal = calendar_for(today, app.submitted_on)
        chain = self.end_use_chain(app.exporter, app.end_user, app.items[0].part_id)
        warnings = []
        total_kg = Decimal(sum(i.mass_mg for i in app.items)) / 1_000_000
        if chain.total_kg_per_year is not None and total_kg > Decimal(
            str(round(chain.total_kg_per_year, 3))
        ):
            warnings.append(
                f"applied quantity {total_kg} kg is more than the "
                f"{chain.total_kg_per_year:.3f} kg a year the end user's products need "
                "according to the network"
            )
        if not chain.rows:
            warnings.append(
                "no downstream path from the exporter through the end user's sites was "
                "found in the network: complete the end-use statement by hand"
            )
        return ApplicationView(
            application=app,
            parties={
                "exporter": _party(net, app.exporter, "exporter"),
                "importer": _party(net, app.importer, "importer"),
                "end_user": _party(net, app.end_user, "end_user"),
            },
            checklist=tuple(rows),
            blocking=tuple(r.kind.key for r in rows if r.state is DocState.MISSING),
            deadline=deadline(app, cal, today),
            chain=chain,
            warnings=tuple(warnings),
            calendar_source=cal.source,
        )

    def set_status(
        self,
        application_id: int,
        status: AppStatus | str,
        *,
        actor: str,
        note: str = "",
        at: datetime | None = None,
        force: bool = False,
    ) -> ApplicationView:
        new = AppStatus(status) if isinstance(status, str) else status
        at = _aware(at) if at else self._clock.now()
        with self._uow() as uow:
            app = uow.licences.application(application_id)
            if app is None:
                raise NotFoundError(f"no licence application {application_id}")
            check_transition(app, new, at, self._clock.now())
            if new is AppStatus.SUBMITTED and not force:
                missing = [
                    r.kind.key
                    for r in checklist(uow.licences.doc_events(application_id))
                    if r.state is DocState.MISSING
                ]
                if missing:
                    raise InputError(
                        f"application {application_id} cannot be submitted: documents missing",
                        [Problem("checklist", None, k, "missing") for k in missing],
                    )
            uow.licences.add_status(application_id, StatusChange(new, at, actor, note))
        return self.application(application_id, today=at.date())

    def set_face(
        self, application_id: int, *, actor: str, **changes: str | date | Decimal | None
    ) -> ApplicationView:
        """Fill in licence-face particulars of a draft (``LicenceFace`` field names; ""
        or None clears one). Refused once the application left the draft state: the
        filed particulars do not change silently. Audited as ``application.face``."""
        known = set(LicenceFace.__dataclass_fields__)
        unknown = sorted(set(changes) - known)
        if unknown:
            raise InputError(f"unknown licence-face field(s): {', '.join(unknown)}")
        with self._uow() as uow:
            app = uow.licences.application(application_id)
            if app is None:
                raise NotFoundError(f"no licence application {application_id}")
            if app.status is not AppStatus.DRAFT:
                raise InputError(
                    f"application {application_id} is {app.status}: licence-face fields "
                    "change only while it is a draft"
                )
            values: dict[str, object] = {}
            for name, value in changes.items():
                if name in {"contract_date", "total_usd"}:
                    values[name] = value if value not in ("", None) else None
                else:
                    values[name] = str(value or "").strip()
            face = replace(app.face, **values)  # type: ignore[arg-type]
            if face.total_usd is not None and face.total_usd < 0:
                raise InputError(f"total in USD: {face.total_usd} must not be negative")
            uow.licences.set_face(application_id, face)
            detail = ", ".join(f"{k}={v}" for k, v in sorted(values.items()))
            audit.record(uow, actor, "application.face", str(application_id), detail)
        return self.application(application_id)

    def attach(self, application_id: int, key: str, reference: str, *, actor: str) -> None:
        self._doc(application_id, key, DocState.ATTACHED, reference, actor)

    def waive(self, application_id: int, key: str, reason: str, *, actor: str) -> None:
        if not reason.strip():
            raise InputError("a waiver needs a reason")
        self._doc(application_id, key, DocState.WAIVED, reason, actor)

    def _doc(self, application_id: int, key: str, state: DocState, ref: str, actor: str) -> None:
        if key not in DOC_KEYS:
            raise InputError(
                f"unknown document {key!r}",
                [Problem("document", None, None, "one of: " + ", ".join(DOC_KEYS))],
            )
        with self._uow() as uow:
            if uow.licences.application(application_id) is None:
                raise NotFoundError(f"no licence application {application_id}")
            uow.licences.add_doc_event(
                application_id, DocEvent(key, state, ref, self._clock.now(), actor)
            )

    def end_use_chain(self, exporter: str, end_user: str, part_id: str) -> EndUseChain:
        """Downstream paths of ``part_id`` that go from the exporter straight into a site
        of the end user, on to final products; with the quantities they need per year."""
        net = self._network()
        exp_sites = _sites(net, exporter)
        eu_sites = _sites(net, end_user)
        note = CHAIN_NOTE
        try:
            wu = self._tracing.where_used(part_id, direction=Direction.DOWN, limit=2000)
        except NotFoundError:
            return EndUseChain(part_id, (), False, None, note)
        sites = {s.site_id: s for s in net.sites}
        parties = {p.party_id: p for p in net.parties}
        parts = {p.part_id: p for p in net.parts}
        plan = {(p.site_id, p.part_id): p.units_per_year for p in net.production}
        rows: list[ChainRow] = []
        seen: set[tuple[str, ...]] = set()
        for p in wu.paths:
            site_of = [n.split("/", 1)[0] for n in p.nodes]
            idx = next(
                (
                    i
                    for i in range(len(p.nodes) - 1)
                    if site_of[i] in exp_sites and site_of[i + 1] in eu_sites
                ),
                None,
            )
            if idx is None:
                continue
            tail = tuple(p.nodes[idx + 1 :])
            if tail in seen:
                continue
            seen.add(tail)
            qty = 1.0
            for q in p.hop_quantities[idx:]:
                qty *= q
            steps = []
            for node in tail:
                site_id, part = node.split("/", 1)
                site = sites[site_id]
                steps.append(
                    ChainStep(
                        site_id,
                        site.party_id,
                        parties[site.party_id].name,
                        site.country,
                        part,
                        parts[part].name,
                        parties[site.party_id].name_zh,
                        parts[part].name_zh,
                    )
                )
            end_site, end_part = tail[-1].split("/", 1)
            per_year = plan.get((end_site, end_part))
            units = per_year * qty if per_year is not None else None
            mass = parts[part_id].mass_kg
            rows.append(
                ChainRow(
                    steps=tuple(steps),
                    units_per_product=qty,
                    products_per_year=per_year,
                    units_per_year=units,
                    kg_per_year=units * mass if units is not None and mass else None,
                )
            )
        kgs = [r.kg_per_year for r in rows]
        total = sum(k for k in kgs if k is not None) if kgs and None not in kgs else None
        return EndUseChain(part_id, tuple(rows), wu.paths_truncated, total, note)

    # -- licences ----------------------------------------------------------------------

    def add_licence(self, lic: Licence, *, actor: str, reason: str = "") -> LicenceView:
        errors, warnings = validate_licence(lic)
        if errors:
            raise InputError(f"licence {lic.licence_id} is invalid", errors)
        with self._uow() as uow:
            if uow.licences.licence(lic.licence_id) is not None:
                raise InputError(f"licence {lic.licence_id} already exists")
            uow.licences.add_licence(lic)
            for e in issue_entries(
                lic, at=self._clock.now(), actor=actor, reason=reason or "licence issued"
            ):
                uow.licences.append(e)
        return replace(self.licence(lic.licence_id), warnings=tuple(warnings))

    def import_licences(self, path: str, *, actor: str) -> list[LicenceView]:
        """Licences from a CSV (one row per item); all or nothing."""
        lics = read_licences_csv(path)
        problems = []
        for n, lic in lics:
            errs, _ = validate_licence(lic, where=path)
            problems += [Problem(path, n, p.column, p.message) for p in errs]
        with self._uow() as uow:
            for n, lic in lics:
                if uow.licences.licence(lic.licence_id) is not None:
                    problems.append(Problem(path, n, "licence_id", "licence already exists"))
            if problems:
                raise InputError(f"{path}: licences not imported", problems)
            now = self._clock.now()
            for _, lic in lics:
                uow.licences.add_licence(lic)
                for e in issue_entries(lic, at=now, actor=actor, reason=f"imported from {path}"):
                    uow.licences.append(e)
        return [self.licence(lic.licence_id) for _, lic in lics]

    def licence(self, licence_id: str) -> LicenceView:
        with self._uow() as uow:
            lic = uow.licences.licence(licence_id)
            if lic is None:
                raise NotFoundError(f"no licence {licence_id!r}")
            entries = uow.licences.entries(licence_id)
        return LicenceView(lic, tuple(balances(lic, entries)), bool(active_drawdowns(entries)))

    def licences(self) -> list[LicenceView]:
        with self._uow() as uow:
            lics = uow.licences.licences()
            entries = uow.licences.entries()
        return [
            LicenceView(
                lic,
                tuple(balances(lic, [e for e in entries if e.licence_id == lic.licence_id])),
                bool(active_drawdowns(e for e in entries if e.licence_id == lic.licence_id)),
            )
            for lic in lics
        ]

    # -- ledger ------------------------------------------------------------------------

    def ship(
        self, s: ShipmentInput, licence_id: str | None, *, actor: str, reason: str = ""
    ) -> ShipResult:
        """Book one shipment against a licence, or check that it needs none."""
        mass = parse_mass(s.quantity, where=f"shipment {s.shipment_id} quantity", default_unit="kg")
        value = parse_money(s.value, where=f"shipment {s.shipment_id} value")
        currency = check_currency(s.currency, where=f"shipment {s.shipment_id} currency")
        on = s.shipped_on or self._clock.today()
        if not s.shipment_id.strip():
            raise InputError("a shipment needs an id")
        if licence_id is None:
            return self._ship_unlicensed(s, on)
        named = s.end_user or s.consignee
        dest = s.destination.upper()
        if not dest and named:
            dest = _country(self._network(), named)
        with self._uow() as uow:
            lic = uow.licences.lock_licence(licence_id)
            if lic is None:
                raise NotFoundError(f"no licence {licence_id!r}")
            uow.licences.lock_shipment(s.shipment_id)
            # After the locks: entries are recorded in the order they were appended.
            now = self._clock.now()
            booked = uow.licences.drawdowns_of_shipment(s.shipment_id)
            if booked:
                return self._already_booked(uow, lic, booked[0], s, mass, value, currency)
            end_user = named or lic.end_users[0]
            if not dest:
                raise InputError(f"shipment {s.shipment_id}: give --destination (country code)")
            req = DrawdownRequest(
                licence_id, s.part_id, mass, value, currency, s.shipment_id, on, dest, end_user
            )
            entries = uow.licences.entries(licence_id)
            violations = check_drawdown(lic, entries, req)
            if violations:
                return ShipResult(
                    s.shipment_id, licence_id, False, tuple(violations), None, None, ""
                )
            item = lic.item(s.part_id)
            assert item is not None
            entry = uow.licences.append(
                LedgerEntry(
                    None,
                    licence_id,
                    item.item_no,
                    EntryKind.DRAWDOWN,
                    mass,
                    value,
                    currency,
                    s.shipment_id,
                    on,
                    dest,
                    end_user,
                    now,
                    actor,
                    reason or "shipment",
                )
            )
            bal = next(b for b in balances(lic, [*entries, entry]) if b.item_no == item.item_no)
        return ShipResult(s.shipment_id, licence_id, True, (), entry, bal, "")

    @staticmethod
    def _already_booked(
        uow: UnitOfWork,
        lic: Licence,
        first: LedgerEntry,
        s: ShipmentInput,
        mass: int,
        value: Decimal,
        currency: str,
    ) -> ShipResult:
        """A shipment id books once: the same booking again returns the first one; a
        different one under the same id is refused."""
        entries = uow.licences.entries(first.licence_id)
        reversed_by = next((e for e in entries if e.reverses == first.entry_id), None)
        item = lic.item(s.part_id)
        same = (
            reversed_by is None
            and first.licence_id == lic.licence_id
            and item is not None
            and first.item_no == item.item_no
            and first.mass_mg == mass
            and first.value == value
            and first.currency == currency
        )
        if same:
            bal = next((b for b in balances(lic, entries) if b.item_no == first.item_no), None)
            return ShipResult(
                s.shipment_id, lic.licence_id, True, (), first, bal, "", duplicate=True
            )
        state = f", reversed by entry {reversed_by.entry_id}" if reversed_by else ""
        v = Violation(
            ViolationCode.DUPLICATE,
            f"shipment {s.shipment_id} is already booked (ledger entry {first.entry_id} on "
            f"licence {first.licence_id}, recorded {first.recorded_at:%Y-%m-%d %H:%M} UTC"
            f"{state}) with other details; a shipment id books once: use a new id",
        )
        return ShipResult(s.shipment_id, lic.licence_id, False, (v,), None, None, "")

    def _ship_unlicensed(self, s: ShipmentInput, on: date) -> ShipResult:
        if not s.exporter or not s.consignee:
            raise InputError(
                f"shipment {s.shipment_id}: without --licence, give --exporter and --consignee "
                "so the rules can decide whether a licence is needed"
            )
        d = self._determine(
            Shipment(
                part_id=s.part_id,
                exporter=s.exporter,
                consignee=s.consignee,
                end_user=s.end_user or None,
                destination_country=s.destination or None,
                end_use=s.end_use,
                shipment_id=s.shipment_id,
            ),
            on,
        )
        if d.licence_required or d.outcome.value == "prohibited":
            codes = ", ".join(d.item.control_codes if d.item else d.control_codes)
            v = Violation(
                ViolationCode.NO_LICENCE,
                f"controlled item ({codes or 'see rules'}) shipped without a licence: "
                f"rules say {d.outcome.value}",
            )
            return ShipResult(s.shipment_id, None, False, (v,), None, None, d.outcome.value)
        return ShipResult(s.shipment_id, None, True, (), None, None, d.outcome.value)

    def reverse(
        self, entry_id: int, *, actor: str, reason: str, licence_id: str | None = None
    ) -> LedgerEntry:
        """Cancel one drawdown in full with a reversal entry (the drawdown stays). The
        reversal is written to the audit log in the same transaction. ``licence_id``:
        the licence the caller believes the entry belongs to (else ``NotFoundError``)."""
        why = reason.strip()
        if not why:
            raise InputError(f"reversing entry {entry_id} needs a reason (why it is cancelled)")
        with self._uow() as uow:
            first = uow.licences.entry(entry_id)
        if first is None or (licence_id is not None and first.licence_id != licence_id):
            where = f" on licence {licence_id!r}" if licence_id is not None else ""
            raise NotFoundError(f"no ledger entry {entry_id}{where}")
        with self._uow() as uow:
            uow.licences.lock_licence(first.licence_id)
            entries = uow.licences.entries(first.licence_id)
            if first.kind is not EntryKind.DRAWDOWN:
                raise InputError(f"entry {entry_id} is a {first.kind}; only drawdowns reverse")
            done = next((e for e in entries if e.reverses == entry_id), None)
            if done is not None:
                raise InputError(
                    f"entry {entry_id} is already reversed (by entry {done.entry_id}, "
                    f"{done.recorded_at:%Y-%m-%d %H:%M} UTC, {done.actor}: {done.reason})"
                )
            entry = uow.licences.append(
                replace(
                    first,
                    entry_id=None,
                    kind=EntryKind.REVERSAL,
                    reverses=entry_id,
                    recorded_at=self._clock.now(),
                    actor=actor,
                    reason=why,
                )
            )
            audit.record(
                uow,
                actor,
                "ledger.reverse",
                f"{first.licence_id} entry {entry_id}",
                f"reversal entry {entry.entry_id}; shipment {first.shipment_id}; {why}",
            )
            return entry

    def ledger(self, licence_id: str | None = None) -> list[LedgerEntry]:
        with self._uow() as uow:
            if licence_id is not None and uow.licences.licence(licence_id) is None:
                raise NotFoundError(f"no licence {licence_id!r}")
            return uow.licences.entries(licence_id)

    def export_ledger(self, path: str) -> int:
        """Licences and every ledger entry as JSON lines; returns the number of lines."""
        with self._uow() as uow:
            dump = LedgerDump(uow.licences.licences(), uow.licences.entries())
        return write_ledger_jsonl(dump, path)

    def import_ledger(self, path: str) -> LedgerDump:
        """Load an export into this workspace unchanged (ids, times, actors); all or nothing."""
        dump = read_ledger_jsonl(path)
        with self._uow() as uow:
            clash = [
                lic.licence_id for lic in dump.licences if uow.licences.licence(lic.licence_id)
            ]
            clash += [
                f"entry {e.entry_id}"
                for e in dump.entries
                if e.entry_id is not None and uow.licences.entry(e.entry_id)
            ]
            if clash:
                raise InputError(
                    f"{path}: already in this workspace",
                    [Problem(path, None, None, c) for c in clash],
                )
            for lic in dump.licences:
                uow.licences.add_licence(lic)
            for e in dump.entries:
                uow.licences.append(e)
            uow.licences.sync_sequences()
        return dump


def check_hs_code(code: str, where: str) -> str:
    """An HS / China customs commodity code (商品编码): 6 to 10 digits, dots and spaces
    ignored; "" stays "" (the packet prints 待填写)."""
    digits = code.replace(".", "").replace(" ", "")
    if not digits:
        return ""
    if not digits.isdigit() or not 6 <= len(digits) <= 10:
        raise InputError(f"{where} hs_code: {code!r} is not an HS code (6 to 10 digits)")
    return digits


def _aware(at: datetime) -> datetime:
    """An event time in UTC; a time without a zone is China Standard Time (the regime's
    business time: "submitted at 09:00" means 09:00 in Beijing)."""
    return at.replace(tzinfo=CHINA_TZ).astimezone(UTC) if at.tzinfo is None else at.astimezone(UTC)


def _party(net: Network, ref: str, role: str) -> PartyInfo:
    def info(p: Party, country: str, fallback: str, site_name: str = "") -> PartyInfo:
        return PartyInfo(
            ref, p.party_id, p.name, country, p.address or fallback, p.name_zh, p.address_zh,
            p.uscc, p.contact, p.telephone, site_name,
        )  # fmt: skip

    for s in net.sites:
        if s.site_id == ref:
            p = next(p for p in net.parties if p.party_id == s.party_id)
            addr = ", ".join(x for x in (s.city, s.country) if x)
            return info(p, s.country, addr, s.name)
    for p in net.parties:
        if p.party_id == ref:
            return info(p, p.country, "")
    raise NotFoundError(f"{role}: no site or party {ref!r} in the workspace")


def _sites(net: Network, ref: str) -> set[str]:
    if any(s.site_id == ref for s in net.sites):
        return {ref}
    return {s.site_id for s in net.sites if s.party_id == ref}


def _country(net: Network | None, ref: str) -> str:
    if net is None:
        return ""
    try:
        return _party(net, ref, "end user").country
    except NotFoundError:
        return ""


def chain_texts(rows: Iterable[ChainRow]) -> list[str]:
    return [r.text for r in rows]
