"""Licences and the append-only ledger: add and import licences, ship (drawdown),
reverse, export and import the ledger (use cases).

Drawdowns and reversals lock the licence first (``LicenceRepository.lock_licence``), so
two shipments racing for the last balance are serialised on SQLite and PostgreSQL alike.
A shipment that breaks the licence is *rejected* (``ShipResult`` with its violations)
and nothing is booked."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from raretrace.domain.ledger import (
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
    check_currency,
    parse_mass,
    parse_money,
    validate_licence,
)
from raretrace.errors import InputError, NotFoundError, Problem
from raretrace.services.classification.use_cases import Shipment
from raretrace.services.licensing.base import (
    LicenceView,
    LicensingBase,
    ShipmentInput,
    ShipResult,
    country_of,
)
from raretrace.services.licensing.files import (
    LedgerDump,
    read_ledger_jsonl,
    read_licences_csv,
    write_ledger_jsonl,
)
from raretrace.services.users import accounts as audit
from raretrace.storage.ports import UnitOfWork


class LedgerUseCases(LicensingBase):
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
            dest = country_of(self._network(), named)
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
