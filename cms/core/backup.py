"""Backups of everything a municipality would lose with a server: the database, the uploaded
media and the private files (exports, report workbooks), in one archive with a manifest.

Consistency: the database is copied from one snapshot (PostgreSQL: `pg_dump --format=custom`
of a snapshot exported by a REPEATABLE READ transaction in which the manifest's row counts are
taken too; SQLite: the online backup API). Files are copied afterwards: every file is written
before the row that names it, so each file the snapshot refers to is already there.

A restore goes into an empty database (a fresh one: it never merges into live data), checks
every member against the manifest's SHA-256 first, and compares the restored row counts with
the manifest's at the end. The archive holds personal data: it is written readable by its owner
only, and must be stored like the database itself.
"""

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import django
from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import connection, transaction

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Something an operator must fix; the message says what."""


def backed_up_storages() -> list[str]:
    return list(getattr(settings, "BACKUP_STORAGES", ["default", "exports"]))


def sha256_of(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def storage_files(storage: Any, folder: str = "") -> Iterator[str]:
    """Every file name of a storage, through the Storage API (filesystem or object store)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from storage_files(storage, f"{folder}/{name}" if folder else name)


def table_counts(cursor: Any) -> dict[str, int]:
    """Rows per table of every installed model (the check a restore is compared with)."""
    tables = sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)})
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 -- names from models
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor: Any) -> dict[str, str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = max(latest.get(app, ""), name)
    return latest


# --- PostgreSQL -----------------------------------------------------------------------------


def libpq_environment() -> dict[str, str]:
    """The connection as libpq variables: no password on a command line."""
    conf = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(conf["NAME"])}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if conf.get(key):
            env[variable] = str(conf[key])
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if conf.get("OPTIONS", {}).get(option):
            env[variable] = str(conf["OPTIONS"][option])
    return env


def client_tool(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            f"{program} is not installed (Debian: apt-get install postgresql-client)."
        )
    return path


def client_major_version(program: str) -> int:
    output = subprocess.run(  # noqa: S603
        [client_tool(program), "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    if match is None:
        raise BackupError(f"Could not read the version of {program}: {output!r}")
    return int(match.group(1))


def check_client_version(program: str) -> int:
    """pg_dump and pg_restore refuse a server newer than themselves: say so before starting."""
    connection.ensure_connection()
    server = connection.pg_version // 10000  # type: ignore[attr-defined]  # PostgreSQL's wrapper has it
    client = client_major_version(program)
    if client < server:
        raise BackupError(
            f"{program} {client} is older than the PostgreSQL {server} server: install the "
            f"PostgreSQL {server} client tools."
        )
    return server


def dump_postgresql(target: Path) -> tuple[dict[str, int], dict[str, str], int]:
    server = check_client_version("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_counts(cursor)
        migrations = applied_migrations(cursor)
        # The snapshot stays valid while this transaction is open: pg_dump sees the same rows.
        result = subprocess.run(  # noqa: S603
            [
                client_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=libpq_environment(),
            capture_output=True,
            text=True,
        )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return counts, migrations, server


def restore_postgresql(dump: Path) -> None:
    check_client_version("pg_restore")
    connection.close()
    result = subprocess.run(  # noqa: S603
        [
            client_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        env=libpq_environment(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


# --- SQLite ---------------------------------------------------------------------------------


def dump_sqlite(target: Path) -> tuple[dict[str, int], dict[str, str], int]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # a consistent copy while others keep writing
        cursor = copy.cursor()
        return table_counts(cursor), applied_migrations(cursor), 0
    finally:
        copy.close()


def restore_sqlite(database: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db():  # type: ignore[attr-defined]  # SQLite's wrapper has it
        raise BackupError("Restore needs a database file, not an in-memory database.")
    connection.close()
    source, target = sqlite3.connect(database), sqlite3.connect(name)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


# --- Archive --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict


def add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.datetime.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def add_storage_file(archive: tarfile.TarFile, member: str, storage: Any, name: str) -> dict:
    """Copy one stored file into the archive through a spooled temporary file (hash + size)."""
    with storage.open(name, "rb") as source, tempfile.TemporaryFile() as spool:
        shutil.copyfileobj(source, spool, CHUNK)
        size = spool.tell()
        spool.seek(0)
        digest = sha256_of(spool)
        spool.seek(0)
        info = tarfile.TarInfo(member)
        info.size, info.mode = size, 0o600
        info.mtime = int(datetime.datetime.now().timestamp())
        archive.addfile(info, spool)
    return {"name": name, "size": size, "sha256": digest}


def create_backup(output: Path) -> BackupResult:
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        database_file = Path(workdir) / DATABASE_MEMBERS[vendor]
        dump = dump_postgresql if vendor == "postgresql" else dump_sqlite
        counts, migrations, server_version = dump(database_file)
        with database_file.open("rb") as handle:
            database_sha = sha256_of(handle)
        partial = output.with_name(output.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(database_file, arcname=DATABASE_MEMBERS[vendor])
            files: dict[str, list[dict]] = {}
            for alias in backed_up_storages():
                storage = storages[alias]
                files[alias] = [
                    add_storage_file(archive, f"storage/{alias}/{name}", storage, name)
                    for name in storage_files(storage)
                ]
            manifest = {
                "format": FORMAT_VERSION,
                "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
                "versions": {"django": django.get_version(), "wagtail": wagtail_version()},
                "database": {
                    "vendor": vendor,
                    "member": DATABASE_MEMBERS[vendor],
                    "sha256": database_sha,
                    "server_major_version": server_version,
                },
                "migrations": migrations,
                "tables": counts,
                "storages": files,
            }
            add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
        partial.replace(output)  # never a half-written file under the final name
    return BackupResult(output, manifest)


def wagtail_version() -> str:
    import wagtail

    return wagtail.__version__


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError as exc:
        raise BackupError("This is not a backup of the platform: it has no manifest.") from exc
    if member is None:  # a directory or link of that name, not a file
        raise BackupError("This is not a backup of the platform: it has no manifest.")
    manifest = json.load(member)
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def verify_archive(path: Path) -> dict:
    """Check every member against the manifest without restoring anything."""
    with tarfile.open(path, "r:*") as archive:
        manifest = read_manifest(archive)
        expected = {manifest["database"]["member"]: manifest["database"]["sha256"]}
        for alias, files in manifest["storages"].items():
            for entry in files:
                expected[f"storage/{alias}/{entry['name']}"] = entry["sha256"]
        for member, digest in expected.items():
            try:
                handle = archive.extractfile(member)
            except KeyError as exc:
                raise BackupError(f"The archive lacks {member}.") from exc
            if handle is None or sha256_of(handle) != digest:
                raise BackupError(f"{member} does not match its checksum: the archive is damaged.")
    return manifest


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict
    files: int
    mismatched_tables: dict[str, tuple[int, int]]


def restore_backup(path: Path) -> RestoreResult:
    manifest = verify_archive(path)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"This backup is of a {vendor} database; the configured one is {connection.vendor}."
        )
    if not database_is_empty():
        raise BackupError(
            "The configured database is not empty. Restore into a fresh database: create it, "
            "point DATABASE_URL at it and run restore again."
        )
    with tarfile.open(path, "r:*") as archive, tempfile.TemporaryDirectory() as workdir:
        database_file = Path(workdir) / manifest["database"]["member"]
        source = archive.extractfile(manifest["database"]["member"])
        if source is None:  # verify_archive read it as a file; a guard for the type checker
            raise BackupError("The database member of the backup is not a file.")
        with database_file.open("wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        if vendor == "postgresql":
            restore_postgresql(database_file)
        else:
            restore_sqlite(database_file)
        files = restore_files(archive, manifest)
    with connection.cursor() as cursor:
        counts = table_counts(cursor)
    mismatched = {
        table: (expected, counts.get(table, 0))
        for table, expected in manifest["tables"].items()
        if counts.get(table, 0) != expected
    }
    return RestoreResult(manifest, files, mismatched)


def restore_files(archive: tarfile.TarFile, manifest: dict) -> int:
    restored = 0
    for alias, files in manifest["storages"].items():
        storage = storages[alias]
        for entry in files:
            name = entry["name"]
            if storage.exists(name):
                with storage.open(name, "rb") as existing:
                    if sha256_of(existing) == entry["sha256"]:
                        continue
                storage.delete(name)
            saved = storage.save(name, File(archive.extractfile(f"storage/{alias}/{name}")))
            if saved != name:
                raise BackupError(f"The {alias} storage stored {name} as {saved}.")
            restored += 1
    return restored
