"""From the dry run to the program's list: keep a pending import, confirm or discard it.

Only digests reach the database: a PENDING BeneficiaryImport holds the hashed rows between the
dry run and the confirmation, and the audit log holds counts and ids. Large lists are compared
and imported by background tasks (programs.tasks).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from programs.beneficiary_import.errors import ImportFailed, ImportNotAllowed, ImportNotPending
from programs.beneficiary_import.limits import inline_max_rows
from programs.beneficiary_import.parsing import (
    Contact,
    HashedRow,
    ParsedList,
    parse_beneficiary_file,
)
from programs.models import BeneficiaryImport, ProgramPage
from programs.resources import BeneficiaryRecordResource, hashed_dataset

DRY_RUN_ACTION = "programs.beneficiaries.dry_run"
IMPORT_ACTION = "programs.beneficiaries.import"
DISCARD_ACTION = "programs.beneficiaries.discard"
FAILED_ACTION = "programs.beneficiaries.failed"

# Messages about a pending import.
MSG_NOT_YOURS = _("Only the person who uploaded this list can confirm or discard it.")
MSG_ALREADY_APPLIED = _("This list has already been imported.")
MSG_ALREADY_DISCARDED = _("This list was discarded. Upload the file again to import it.")
MSG_STILL_CHECKING = _(
    "This list is still being checked against the program's list. Reload the page in a minute."
)
MSG_BEING_IMPORTED = _(
    "This list is being imported. Reload the page in a minute to see the result."
)
MSG_FAILED = _(
    "The list could not be imported because the beneficiary list changed meanwhile. Nothing "
    "was imported: upload the file again."
)


@dataclass(frozen=True)
class ImportCounts:
    new: int
    existing: int


@dataclass
class DryRunOutcome:
    """What the dry run found; `batch` is the pending import, None when the file has errors."""

    parsed: ParsedList
    counts: ImportCounts
    batch: BeneficiaryImport | None


def safe_file_name(name: str) -> str:
    """The name shown in the import history, with long digit runs masked: a file named after
    a person's number must not store that number in clear."""
    base = PurePath(name or "").name or "—"
    return re.sub(r"\d{9,}", lambda match: "*" * len(match.group()), base)[:255]


def count_rows(program: ProgramPage, rows: Sequence[HashedRow]) -> ImportCounts:
    """How many rows are new and how many are already on the list, without storing anything."""
    if not rows:
        return ImportCounts(new=0, existing=0)
    resource = BeneficiaryRecordResource()
    result = resource.import_data(
        hashed_dataset(program.pk, rows), dry_run=True, use_transactions=True
    )
    if result.has_errors() or result.has_validation_errors():
        raise ImportFailed(MSG_FAILED)
    return ImportCounts(new=result.totals["new"], existing=result.totals["skip"])


def audit_data(batch: BeneficiaryImport | None, parsed: ParsedList | None = None) -> dict:
    """Counts and ids only: the audit log never holds a personal number or a digest."""
    data: dict[str, Any] = {}
    if batch is not None:
        data.update(
            import_id=batch.pk,
            file_name=batch.file_name,
            total_rows=batch.total_rows,
            new_rows=batch.new_rows,
            existing_rows=batch.existing_rows,
        )
    if parsed is not None:
        data.update(
            total_rows=parsed.total_rows,
            duplicate_rows=parsed.duplicate_rows,
            error_rows=parsed.error_rows,
        )
    return data


def discard_superseded(program: ProgramPage, user: User, keep: int) -> None:
    """A new upload replaces the same person's earlier pending lists for the program, so an
    old preview left open in another tab can no longer be confirmed by mistake."""
    superseded = BeneficiaryImport.objects.filter(
        program=program, uploaded_by=user, status=BeneficiaryImport.Status.PENDING
    ).exclude(pk=keep)
    for batch in superseded.select_for_update():
        batch.status = BeneficiaryImport.Status.DISCARDED
        batch.rows = []
        batch.save(update_fields=["status", "rows"])
        log(
            instance=program,
            action=DISCARD_ACTION,
            user=user,
            data={**audit_data(batch), "superseded_by": keep},
        )


def dry_run_import(program: ProgramPage, user: User, uploaded: UploadedFile) -> DryRunOutcome:
    """Check a file; when every row is valid, keep its hashed rows as a pending import.

    Nothing goes into BeneficiaryRecord here. A file with row errors stores nothing at all:
    the person corrects it and uploads again. The file is always read here, in memory; a
    large list is then compared with the program's list by a background task (its import is
    "being checked" until then), so no request spends long on it.
    """
    program = program.canonical_program
    parsed = parse_beneficiary_file(uploaded)
    in_background = not parsed.has_errors and len(parsed.rows) > inline_max_rows()
    counts = ImportCounts(new=0, existing=0) if in_background else count_rows(program, parsed.rows)
    batch = None
    with transaction.atomic():
        if not parsed.has_errors:
            batch = BeneficiaryImport.objects.create(
                program=program,
                uploaded_by=user,
                file_name=safe_file_name(uploaded.name or ""),
                status=(
                    BeneficiaryImport.Status.CHECKING
                    if in_background
                    else BeneficiaryImport.Status.PENDING
                ),
                rows=[
                    [digest, version, served_on.isoformat(), *parsed.contacts.get(row, ())]
                    for row in parsed.rows
                    for digest, version, served_on in [row]
                ],
                total_rows=parsed.total_rows,
                new_rows=counts.new,
                existing_rows=counts.existing,
            )
            discard_superseded(program, user, keep=batch.pk)
        if in_background and batch is not None:  # a batch always exists in the background
            batch_id = batch.pk
            transaction.on_commit(lambda: enqueue("check_import", batch_id))
        else:
            data = audit_data(batch, parsed)
            data.update(new_rows=counts.new, existing_rows=counts.existing)
            data.setdefault("file_name", safe_file_name(uploaded.name or ""))
            log(instance=program, action=DRY_RUN_ACTION, user=user, data=data)
    return DryRunOutcome(parsed=parsed, counts=counts, batch=batch)


def enqueue(task_name: str, *args: Any) -> None:
    """Queue one of programs.tasks (imported here: the tasks import this module)."""
    from programs import tasks

    getattr(tasks, task_name).enqueue(*args)


def stored_rows(batch: BeneficiaryImport) -> list[HashedRow]:
    return [(row[0], int(row[1]), date.fromisoformat(row[2])) for row in batch.rows]


def stored_contacts(batch: BeneficiaryImport) -> dict[HashedRow, Contact]:
    """The rows that came with a contact (the optional columns), for the invitations."""
    return {
        (row[0], int(row[1]), date.fromisoformat(row[2])): (row[3], row[4])
        for row in batch.rows
        if len(row) == 5
    }


def check_in_background(batch_id: int) -> BeneficiaryImport | None:
    """The task's work: count a large pending list's new and known people, then let its
    uploader confirm it. Does nothing to an import that is no longer being checked."""
    with transaction.atomic():
        batch = BeneficiaryImport.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status != BeneficiaryImport.Status.CHECKING:
            return batch
        try:
            counts = count_rows(batch.program, stored_rows(batch))
        except ImportFailed:
            return mark_failed(batch)
        batch.new_rows, batch.existing_rows = counts.new, counts.existing
        batch.status = BeneficiaryImport.Status.PENDING
        batch.save(update_fields=["new_rows", "existing_rows", "status"])
        log(
            instance=batch.program,
            action=DRY_RUN_ACTION,
            user=batch.uploaded_by,
            data={**audit_data(batch), "in_background": True},
        )
    return batch


def mark_failed(batch: BeneficiaryImport) -> BeneficiaryImport:
    batch.status = BeneficiaryImport.Status.FAILED
    batch.rows = []
    batch.save(update_fields=["status", "rows"])
    log(
        instance=batch.program, action=FAILED_ACTION, user=batch.uploaded_by, data=audit_data(batch)
    )
    return batch


def claim_pending(batch: BeneficiaryImport, user: User) -> BeneficiaryImport:
    """Lock the import row and check it may still be acted on by this user.

    Must run inside a transaction: the lock (select_for_update on PostgreSQL, the write lock of
    an IMMEDIATE transaction on SQLite) makes a second, concurrent confirm wait and then see
    the import is no longer pending.
    """
    locked = BeneficiaryImport.objects.select_for_update().get(pk=batch.pk)
    if locked.uploaded_by_id is None or locked.uploaded_by_id != user.pk:
        raise ImportNotAllowed(MSG_NOT_YOURS)
    if locked.status == BeneficiaryImport.Status.APPLIED:
        raise ImportNotPending(MSG_ALREADY_APPLIED)
    if locked.status == BeneficiaryImport.Status.DISCARDED:
        raise ImportNotPending(MSG_ALREADY_DISCARDED)
    if locked.status == BeneficiaryImport.Status.CHECKING:
        raise ImportNotPending(MSG_STILL_CHECKING)
    if locked.status == BeneficiaryImport.Status.IMPORTING:
        raise ImportNotPending(MSG_BEING_IMPORTED)
    if locked.status != BeneficiaryImport.Status.PENDING:
        raise ImportNotPending(MSG_FAILED)
    return locked


def apply_import(batch: BeneficiaryImport, user: User) -> BeneficiaryImport:
    """Import every row of a pending list, or none: one transaction, applied at most once.

    A large list is only claimed here ("being imported") and imported by a background task.
    """
    with transaction.atomic():
        locked = claim_pending(batch, user)
        if len(locked.rows) > inline_max_rows():
            locked.status = BeneficiaryImport.Status.IMPORTING
            locked.save(update_fields=["status"])
            batch_id, user_id = locked.pk, user.pk
            transaction.on_commit(lambda: enqueue("apply_import", batch_id, user_id))
            return locked
        claimed = BeneficiaryImport.objects.filter(
            pk=locked.pk, status=BeneficiaryImport.Status.PENDING
        ).update(status=BeneficiaryImport.Status.APPLIED, applied_at=timezone.now())
        if not claimed:
            raise ImportNotPending(MSG_ALREADY_APPLIED)
        return import_rows(locked, user)


def apply_in_background(batch_id: int, user_id: int) -> BeneficiaryImport | None:
    """The task's work: import a large confirmed list, or mark it failed (nothing imported)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first()
    try:
        with transaction.atomic():
            batch = BeneficiaryImport.objects.select_for_update().filter(pk=batch_id).first()
            if batch is None or batch.status != BeneficiaryImport.Status.IMPORTING:
                return batch
            batch.status = BeneficiaryImport.Status.APPLIED
            batch.applied_at = timezone.now()
            batch.save(update_fields=["status", "applied_at"])
            return import_rows(batch, user)
    except ImportFailed:
        with transaction.atomic():
            batch = BeneficiaryImport.objects.select_for_update().get(pk=batch_id)
            return mark_failed(batch)


def import_rows(locked: BeneficiaryImport, user: User | None) -> BeneficiaryImport:
    """Add a claimed import's rows to the program's list; raises ImportFailed (rolled back)."""
    resource = BeneficiaryRecordResource(batch=locked)
    result = resource.import_data(
        hashed_dataset(locked.program_id, stored_rows(locked)),
        dry_run=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    if result.has_errors() or result.has_validation_errors():
        raise ImportFailed(MSG_FAILED)
    from programs.invitations import create_invitations

    create_invitations(locked, stored_contacts(locked))
    locked.refresh_from_db()
    locked.new_rows = result.totals["new"]
    locked.existing_rows = result.totals["skip"]
    locked.rows = []  # the records now hold the digests; keep no second copy
    locked.save(update_fields=["new_rows", "existing_rows", "rows"])
    log(instance=locked.program, action=IMPORT_ACTION, user=user, data=audit_data(locked))
    return locked


def discard_import(batch: BeneficiaryImport, user: User) -> BeneficiaryImport:
    """Drop a pending list and its hashed rows; nothing was imported from it."""
    with transaction.atomic():
        locked = claim_pending(batch, user)
        locked.status = BeneficiaryImport.Status.DISCARDED
        locked.rows = []
        locked.save(update_fields=["status", "rows"])
        log(instance=locked.program, action=DISCARD_ACTION, user=user, data=audit_data(locked))
    return locked


def recent_imports(program: ProgramPage, limit: int = 10) -> list[BeneficiaryImport]:
    """The program's latest imports for the upload page (rows deferred: they can be large)."""
    return list(
        BeneficiaryImport.objects.filter(program=program.canonical_program)
        .select_related("uploaded_by")
        .defer("rows")
        .order_by("-created_at", "-pk")[:limit]
    )


def beneficiary_count(program: ProgramPage) -> int:
    return program.canonical_program.beneficiaries.count()
