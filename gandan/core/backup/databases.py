"""Dumping and restoring the database, and reading it consistently for the checksums.

SQLite: Python's online backup API copies the database page by page into a new file while the
server goes on (in WAL mode readers and the writer do not wait for it); the checksums are then
read from that file, so they describe exactly what was copied. PostgreSQL: a read-only
REPEATABLE READ transaction exports its snapshot, ``pg_dump -Fc --snapshot`` dumps that
snapshot and the checksums are read in the same transaction; ``pg_restore`` puts it back in
one transaction. The password goes to the client tools through ``PGPASSWORD``, never on their
command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from gandan.core.backup.checksums import (
    FETCH,
    TablePlan,
    TableSum,
    latest_migrations,
    quote,
    table_plans,
    table_sum,
)

VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
DUMP_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# libpq settings a deployment may put in OPTIONS and the client tools must use too.
_LIBPQ_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "sslcrl", "service", "passfile")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Vietnamese."""


@dataclass
class Snapshot:
    """What one consistent read of a database found."""

    vendor: str
    server_version: str
    migrations: dict[str, str]
    plans: list[TablePlan]
    sums: dict[str, TableSum] = field(default_factory=dict)


class Reader:
    """Reads tables through a DB-API connection, streaming rows a batch at a time."""

    def __init__(self, connection: Any, vendor: str) -> None:
        self.connection = connection
        self.vendor = vendor

    def tables(self) -> set[str]:
        if self.vendor == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql)
            return {row[0] for row in cursor.fetchall()}
        finally:
            cursor.close()

    def columns(self, table: str) -> list[str]:
        cursor = self.connection.cursor()
        try:
            cursor.execute(f"SELECT * FROM {quote(table)} WHERE 1 = 0")  # noqa: S608 - quoted name from the schema
            return [column[0] for column in cursor.description]
        finally:
            cursor.close()

    def rows(self, sql: str) -> Iterator[Sequence[Any]]:
        if self.vendor == "postgresql":
            # A server-side cursor: PostgreSQL sends the rows as they are fetched.
            cursor = self.connection.cursor(name="gandan_backup_rows")
            cursor.itersize = FETCH
        else:
            cursor = self.connection.cursor()
        try:
            cursor.execute(sql)
            while batch := cursor.fetchmany(FETCH):
                yield from batch
        finally:
            cursor.close()

    def migrations(self) -> dict[str, str]:
        if "django_migrations" not in self.tables():
            return {}
        return latest_migrations(self.rows("SELECT app, name FROM django_migrations ORDER BY id"))

    def sums(self, plans: Sequence[TablePlan]) -> dict[str, TableSum]:
        return {
            plan.table: table_sum(
                plan, columns_of=self.columns, rows_of=self.rows, vendor=self.vendor
            )
            for plan in plans
        }

    def sums_of(self, plans: Sequence[TablePlan]) -> dict[str, TableSum]:
        """The checksums of the tables of ``plans`` that exist (a missing one is left out)."""
        existing = self.tables()
        return self.sums([plan for plan in plans if plan.table in existing])

    def count(self, table: str) -> int:
        cursor = self.connection.cursor()
        try:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - quoted name from the schema
            return int(cursor.fetchone()[0])
        finally:
            cursor.close()


@contextmanager
def _private_connection(using: str) -> Iterator[BaseDatabaseWrapper]:
    """A connection of its own to the database ``using`` names, closed afterwards."""
    wrapper = connections.create_connection(using)
    try:
        wrapper.ensure_connection()
        yield wrapper
    finally:
        wrapper.close()


@contextmanager
def _repeatable_read(raw: Any) -> Iterator[Any]:
    # One snapshot for every statement: the tables are read as they were at its start.
    with raw.transaction():
        raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield raw


@contextmanager
def reading(using: str) -> Iterator[Reader]:
    """A :class:`Reader` over the database ``using`` names, in one consistent snapshot."""
    with _private_connection(using) as wrapper:
        if wrapper.vendor == "postgresql":
            with _repeatable_read(wrapper.connection) as raw:
                yield Reader(raw, "postgresql")
        else:
            raw = wrapper.connection
            raw.execute("BEGIN")
            try:
                yield Reader(raw, "sqlite")
            finally:
                raw.execute("COMMIT")


def vendor_of(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DUMP_FILES:
        raise BackupError(
            f"Sao lưu chỉ hỗ trợ SQLite và PostgreSQL, không hỗ trợ cơ sở dữ liệu {vendor}."
        )
    return vendor


def _new_private_file(path: Path) -> None:
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _snapshot(reader: Reader, server_version: str) -> Snapshot:
    plans = table_plans(reader.tables())
    return Snapshot(
        vendor=reader.vendor,
        server_version=server_version,
        migrations=reader.migrations(),
        plans=plans,
        sums=reader.sums(plans),
    )


def dump(*, using: str, into: Path) -> tuple[Path, Snapshot]:
    """Dump the database ``using`` names into the folder ``into``; return the file and what
    it holds (migrations, each table's checksum)."""
    vendor = vendor_of(using)
    path = into / DUMP_FILES[vendor]
    _new_private_file(path)
    if vendor == "sqlite":
        with _private_connection(using) as wrapper:
            target = sqlite3.connect(path)
            try:
                wrapper.connection.backup(target)
                # One self-contained file, whatever the journal mode of the live database.
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        with _sqlite_file(path) as connection:
            return path, _snapshot(Reader(connection, "sqlite"), sqlite3.sqlite_version)
    with _private_connection(using) as wrapper, _repeatable_read(wrapper.connection) as raw:
        exported = raw.execute("SELECT pg_export_snapshot()").fetchone()[0]
        conninfo, env = libpq(using)
        run_tool(
            "pg_dump",
            [
                "--format=custom",
                f"--snapshot={exported}",
                f"--file={path}",
                "--no-password",
                f"--dbname={conninfo}",
            ],
            env=env,
        )
        version = raw.info.server_version
        return path, _snapshot(Reader(raw, "postgresql"), f"{version // 10000}.{version % 10000}")


@contextmanager
def _sqlite_file(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to an SQLite file, reading values as Django's connection does."""
    # Django's SQLite backend registers the converters (booleans, dates, datetimes) that
    # detect_types applies.
    import django.db.backends.sqlite3.base  # noqa: F401

    uri = f"{path.resolve().as_uri()}?mode=ro"
    connection = sqlite3.connect(
        uri, uri=True, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
    )
    try:
        yield connection
    finally:
        connection.close()


def restore(*, using: str, path: Path) -> None:
    """Put the dump at ``path`` into the database ``using`` names, replacing what it holds."""
    vendor = vendor_of(using)
    connections[using].close()
    if vendor == "sqlite":
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            with _private_connection(using) as wrapper:
                source.backup(wrapper.connection)
        except sqlite3.Error as error:
            raise BackupError(f"Không chép được cơ sở dữ liệu SQLite: {error}.") from error
        finally:
            source.close()
        return
    conninfo, env = libpq(using)
    run_tool(
        "pg_restore",
        [
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--no-password",
            f"--dbname={conninfo}",
            str(path),
        ],
        env=env,
    )


def check_dump(vendor: str, path: Path, plans: Sequence[TablePlan]) -> dict[str, TableSum] | None:
    """Check a dump without a database: an SQLite file's checksums of the tables of
    ``plans``; for PostgreSQL only that pg_restore reads its table of contents (None)."""
    if vendor == "sqlite":
        try:
            with _sqlite_file(path) as connection:
                return Reader(connection, "sqlite").sums_of(plans)
        except sqlite3.Error as error:
            raise BackupError(
                f"Tệp cơ sở dữ liệu trong bản sao lưu không đọc được: {error}."
            ) from error
    run_tool("pg_restore", ["--list", str(path)], env=dict(os.environ), quiet=True)
    return None


def libpq(using: str) -> tuple[str, dict[str, str]]:
    """The connection string (without password) and environment for PostgreSQL's tools."""
    from psycopg.conninfo import make_conninfo

    settings_dict = connections[using].settings_dict
    options = settings_dict.get("OPTIONS") or {}
    params = {
        "dbname": settings_dict.get("NAME"),
        "host": settings_dict.get("HOST"),
        "port": str(settings_dict.get("PORT") or ""),
        "user": settings_dict.get("USER"),
        **{name: options.get(name) for name in _LIBPQ_OPTIONS},
    }
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return make_conninfo(**{k: str(v) for k, v in params.items() if v}), env


def run_tool(tool: str, args: list[str], *, env: dict[str, str], quiet: bool = False) -> str:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(
            f"Không tìm thấy chương trình {tool}: hãy cài gói máy khách PostgreSQL "
            "(postgresql-client) cùng phiên bản với máy chủ."
        )
    result = subprocess.run(  # noqa: S603 - PostgreSQL's own tool, arguments built here
        [executable, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = result.stderr.strip() or result.stdout.strip()
        raise BackupError(f"{tool} không thành công (mã {result.returncode}): {detail}")
    return "" if quiet else result.stdout


def gandan_table_with_rows(using: str) -> str | None:
    """The first table of a gandan app that holds a row in the database ``using`` names."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_config.name.startswith("gandan.")
            and model._meta.managed
            and not model._meta.proxy
            and model._meta.db_table in existing
        }
    )
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608 - quoted name from the schema
            if cursor.fetchone() is not None:
                return table
    return None
