"""The network's data as one service object (``Workspace.imports``): check a bundle
without writing, import one (audited, in the same transaction), export, bulk-load a
synthetic network, load an ERP/PLM export and read or write IPC-1752A material
declarations. Each method opens its own unit of work."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from raretrace.services.formats.uploads import BundleCheck, check_bundle
from raretrace.services.network import bundles as fn
from raretrace.services.network.bundles import ImportReport
from raretrace.services.users import accounts as user_fn
from raretrace.storage.ports import UnitOfWorkFactory

if TYPE_CHECKING:
    from raretrace.analytics.synth import SynthNetwork
    from raretrace.services.formats import erp_profiles as erp_import
    from raretrace.services.formats.ipc1752 import DeclarationImport
    from raretrace.services.network.synth import Progress, SynthLoadReport


class NetworkService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    def check_bundle(self, path: Path, *, replace: bool) -> BundleCheck:
        """Read and validate ``path`` as ``import_bundle`` would, writing nothing."""
        with self._uow() as uow:
            return check_bundle(uow, path, replace=replace)

    def import_bundle(
        self, path: Path, *, replace: bool = False, actor: str | None = None, source: str = ""
    ) -> ImportReport:
        """Import a bundle (all or nothing). With ``actor``, an import that changes
        something is recorded in the audit log (as ``source``) in the same transaction."""
        with self._uow(write=True) as uow:
            report = fn.import_bundle(uow, path, replace=replace)
            if actor is not None and report.changes.any:
                rows = ", ".join(f"{t}={n}" for t, n in report.rows.items())
                action = "bundle.replace" if replace else "bundle.import"
                user_fn.record(uow, actor, action, source or path.name, rows)
        return report

    def export_bundle(self, path: Path) -> list[Path]:
        with self._uow() as uow:
            return fn.export_bundle(uow, path)

    def load_synthetic(
        self, network: SynthNetwork, progress: Progress | None = None
    ) -> SynthLoadReport:
        """Bulk-load a synthetic network into an EMPTY workspace (foreign keys checked
        once at commit)."""
        from raretrace.services.network import synth

        with self._uow(bulk_load=True) as uow:
            return synth.load_into(uow, network, progress)

    def import_erp(
        self,
        path: Path,
        profile: erp_import.Profile,
        *,
        root: str | None = None,
        apply: bool = False,
    ) -> erp_import.ErpImport:
        """Load an ERP/PLM export through a column-mapping profile."""
        from raretrace.services.formats import erp_profiles as erp_import

        with self._uow() as uow:
            return erp_import.import_export(uow, path, profile, root=root, apply=apply)

    def import_declaration(self, path: Path, *, apply: bool = True) -> DeclarationImport:
        """Read an IPC-1752A declaration (``apply``: into the network)."""
        from raretrace.services.formats import ipc1752

        with self._uow() as uow:
            return ipc1752.import_declaration(uow, path, apply=apply)

    def export_declaration(self, part_id: str, path: Path) -> Path:
        """One part's composition as an IPC-1752A declaration."""
        from raretrace.services.formats import ipc1752

        with self._uow() as uow:
            return ipc1752.export_part(uow, part_id, path)
