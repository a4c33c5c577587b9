"""INSERT ... RETURNING without the ORM's query compiler, for the hottest writes.

A helpline contact is written with six INSERTs (the contact and its categories, actions,
vulnerable groups, children, perpetrators) and the audit chain's append; through
`bulk_create` most of their CPU goes to compiling SQL that never changes. `rows_insert` builds
the statement once per model, database kind and row count, and prepares every value as the
ORM's INSERT does (`Field.pre_save(add=True)`, then `get_db_prep_save`), so what is stored is
the same. Anything unusual (an expression as a value, a primary key already set, a database
that cannot return ids) goes through `bulk_create`.
"""

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import AutoField, Model

_SQL: dict[tuple[type[Model], str, int], str] = {}


def _fields(model: type[Model]) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if not isinstance(f, AutoField) and not getattr(f, "generated", False)
    ]


def _sql(model: type[Model], connection, rows: int) -> str:
    key = (model, connection.vendor, rows)
    if key not in _SQL:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in _fields(model))
        row = "(" + ", ".join(["%s"] * len(_fields(model))) + ")"
        values = ", ".join([row] * rows)
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        # The names are the model's own, quoted by the backend; every value is a parameter.
        _SQL[key] = f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {pk}"  # noqa: S608
    return _SQL[key]


def rows_insert(objs: Sequence[Model]) -> list[Model]:
    """Insert new instances of one model in one statement; sets their primary keys."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    if (
        not connection.features.can_return_rows_from_bulk_insert
        or not isinstance(model._meta.pk, AutoField)
        or any(obj.pk is not None or type(obj) is not model for obj in objs)
    ):
        return model.objects.bulk_create(objs)
    fields = _fields(model)
    values = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        values.append([f.pre_save(obj, add=True) for f in fields])
    if any(hasattr(v, "resolve_expression") for row in values for v in row):
        return model.objects.bulk_create(objs)
    params = [
        f.get_db_prep_save(v, connection)
        for row in values
        for f, v in zip(fields, row, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(_sql(model, connection, len(objs)), params)
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
            obj._state.adding, obj._state.db = False, connection.alias
    return objs
