"""Licence applications: create, view, status workflow, licence face, documents, and
the end-use chain from tracing (use cases; every method opens its own unit of work)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from raretrace.analytics.where_used import Direction
from raretrace.domain.applications import (
    DOC_KEYS,
    AppItem,
    Application,
    AppStatus,
    DocEvent,
    DocState,
    LicenceFace,
    StatusChange,
    check_transition,
    checklist,
    deadline,
)
from raretrace.domain.licences import (
    Licence,
    LicenceType,
    check_currency,
    parse_mass,
    parse_money,
)
from raretrace.errors import InputError, NotFoundError, Problem
from raretrace.services.licensing.base import (
    CHAIN_NOTE,
    ApplicationView,
    ChainRow,
    ChainStep,
    EndUseChain,
    ItemInput,
    LicensingBase,
    aware_at,
    calendar_for,
    check_hs_code,
    party_info,
    sites_of,
)
from raretrace.services.users import accounts as audit


class ApplicationUseCases(LicensingBase):
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
        exp = party_info(net, exporter, "exporter")
        imp = party_info(net, importer, "importer")
        eu = party_info(net, end_user or importer, "end_user")
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
                "exporter": party_info(net, app.exporter, "exporter"),
                "importer": party_info(net, app.importer, "importer"),
                "end_user": party_info(net, app.end_user, "end_user"),
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
        at = aware_at(at) if at else self._clock.now()
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
        exp_sites = sites_of(net, exporter)
        eu_sites = sites_of(net, end_user)
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
