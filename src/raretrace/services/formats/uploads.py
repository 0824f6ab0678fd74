"""Uploaded bundles: unpack a CSV zip or take an XLSX workbook safely, then check it
against the workspace without writing anything.

A zip is never extracted blindly: only ``*.csv`` members are taken, by their base name
(no paths, so no ``../`` escapes), their declared and actual sizes are bounded, and
anything else in the archive is ignored. Workbooks are parsed by ``services.formats.bundle``,
which already refuses hostile XML and zip bombs.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from raretrace.domain.network_changes import NetworkChanges, network_changes
from raretrace.errors import BundleError, InputError, Problem
from raretrace.services.formats.bundle import read_bundle
from raretrace.services.network.validation import validate_network
from raretrace.storage.ports import UnitOfWork

#: A zip may unpack to at most this many times the upload limit.
UNPACK_FACTOR = 10


def unpack_upload(upload: Path, filename: str, dest: Path, *, max_bytes: int) -> Path:
    """Turn an uploaded file into a bundle path under ``dest`` (a folder or an .xlsx)."""
    suffix = PurePosixPath(filename).suffix.lower()
    if upload.stat().st_size > max_bytes:
        raise InputError(f"{filename}: the upload is over the {max_bytes} byte limit")
    dest.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        target = dest / "bundle.xlsx"
        shutil.copyfile(upload, target)
        return target
    if suffix != ".zip":
        raise InputError(f"{filename}: upload a .zip of CSV files or an .xlsx workbook")
    folder = dest / "bundle"
    folder.mkdir()
    budget = max_bytes * UNPACK_FACTOR
    try:
        with zipfile.ZipFile(upload) as archive:
            members = [
                m for m in archive.infolist()
                if not m.is_dir() and PurePosixPath(m.filename).suffix.lower() == ".csv"
                and not PurePosixPath(m.filename).name.startswith(".")
                and "__MACOSX" not in PurePosixPath(m.filename).parts
            ]  # fmt: skip
            if sum(m.file_size for m in members) > budget:
                raise InputError(f"{filename}: the zip unpacks to more than {budget} bytes")
            for member in members:
                name = PurePosixPath(member.filename).name
                target = folder / name
                if target.exists():
                    raise InputError(f"{filename}: two files named {name} in the zip")
                _copy_bounded(archive, member, target, budget)
                budget -= target.stat().st_size
    except zipfile.BadZipFile as exc:
        raise InputError(f"{filename}: not a readable zip file ({exc})") from exc
    if not members:
        raise InputError(f"{filename}: the zip holds no .csv files")
    return folder


def _copy_bounded(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, budget: int
) -> None:
    written = 0
    with archive.open(member) as src, target.open("wb") as out:
        while chunk := src.read(1 << 20):
            written += len(chunk)
            if written > budget:  # the declared size lied
                raise InputError(f"{member.filename}: unpacks to more than it declares")
            out.write(chunk)


@dataclass(frozen=True, slots=True)
class BundleCheck:
    """What importing a bundle would do: rows per table, or every located problem."""

    rows: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: What the import would change (when there are no problems).
    changes: NetworkChanges | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def check_bundle(uow: UnitOfWork, path: Path, *, replace: bool) -> BundleCheck:
    """Read and validate ``path`` as ``import_bundle`` would, writing nothing."""
    root = path if path.is_dir() else path.parent
    try:
        bundle = read_bundle(path)
    except BundleError as exc:
        found = exc.problems or [Problem(path.name, None, None, str(exc))]
        return BundleCheck({}, [_relative(p, root) for p in found])
    current = uow.network.load()
    after = bundle.network if replace else current.merged_with(bundle.network)
    problems = validate_network(after, bundle.locate)
    changes = None if problems else network_changes(current, after)
    return BundleCheck(bundle.network.counts(), [_relative(p, root) for p in problems], changes)


def _relative(problem: Problem, root: Path) -> Problem:
    """Name files as the uploader knows them, not by the server's staging path."""
    prefix = str(root).rstrip("/") + "/"
    file = problem.file
    if file.startswith(prefix):
        file = file[len(prefix) :]
    message = problem.message.replace(prefix, "")
    return Problem(file, problem.row, problem.column, message)
