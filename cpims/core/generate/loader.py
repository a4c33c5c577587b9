"""Bulk insertion: PostgreSQL ``COPY`` for the big tables, ``bulk_create`` elsewhere.

``bulk_create`` spends most of national-scale generation building multi-row INSERT statements
and waiting on them; ``COPY ... FROM STDIN`` (psycopg 3 ``cursor.copy``) streams the same rows
several times faster. Primary keys are reserved from the table's sequence first, so the objects
carry their pks afterwards exactly as after ``bulk_create`` and later steps can point at them.
SQLite (the test database) keeps ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import connection, models, transaction
from django.db.models.fields import AutoFieldMixin

BATCH = 2_000  # bulk_create rows per statement (SQLite's variable limit and memory)
COPY_CHUNK = 50_000  # COPY rows per transaction


def batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def uses_copy() -> bool:
    return connection.vendor == "postgresql"


def tune_session() -> None:
    """Generated rows can be regenerated, so commits need not wait for the WAL flush."""
    if uses_copy():
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")


def reserve_ids(table: str, column: str, n: int) -> list[int]:
    """n fresh values from the column's sequence (identity or serial), in one round trip."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, n],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    """Stream rows into table with COPY (inside the caller's transaction)."""
    qn = connection.ops.quote_name
    sql = f"COPY {qn(table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as wrapper:
        raw = wrapper.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


def _row_maker(model: type[models.Model]):
    """A function from an instance to its column values, as bulk_create would send them."""
    fields = list(model._meta.concrete_fields)
    plan = []
    for f in fields:
        if isinstance(f, models.JSONField | models.GenericIPAddressField):
            kind = "prep"  # JSON needs psycopg's Jsonb wrapper; IPs are validated/normalised
        elif isinstance(f, models.DateField):  # includes DateTimeField: auto_now(_add)
            kind = "pre_save"
        else:
            kind = "raw"
        plan.append((f, f.attname, kind))

    def make(obj) -> tuple:
        values = []
        for f, attname, kind in plan:
            if kind == "raw":
                values.append(getattr(obj, attname))
            elif kind == "pre_save":
                values.append(f.pre_save(obj, True))
            else:
                values.append(f.get_db_prep_save(getattr(obj, attname), connection))
        return tuple(values)

    return [f.column for f in fields], make


def insert(model: type[models.Model], objs: list, *, ignore_conflicts: bool = False) -> list:
    """Insert objs (setting their pks); never one save per row."""
    if not objs:
        return objs
    if not uses_copy() or ignore_conflicts:
        for batch in batches(objs):
            with transaction.atomic():
                model.objects.bulk_create(batch, ignore_conflicts=ignore_conflicts)
        return objs
    meta = model._meta
    pk = meta.pk
    columns, make = _row_maker(model)
    for chunk in batches(objs, COPY_CHUNK):
        with transaction.atomic():
            for obj in chunk:
                # FKs assigned as objects before their target was saved get their ids now.
                obj._prepare_related_fields_for_save(operation_name="bulk_create")
            if isinstance(pk, AutoFieldMixin) and chunk[0].pk is None:
                for obj, pk_value in zip(
                    chunk, reserve_ids(meta.db_table, pk.column, len(chunk)), strict=True
                ):
                    obj.pk = pk_value
            copy_rows(meta.db_table, columns, (make(obj) for obj in chunk))
            for obj in chunk:
                obj._state.adding = False
                obj._state.db = connection.alias
    return objs
