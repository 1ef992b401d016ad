"""Bulk reads and writes through the session's own connection (same transaction), for derived
rows handled by the thousand (score rebuilds), where row-by-row statements and ORM rows cost
more than the rest of the work: plain tuples from the driver; COPY and one UPDATE over unnested
arrays on PostgreSQL, the driver's executemany elsewhere."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Table

from app.extensions import db


def select_rows(table: Table, columns: Sequence[str], key: str, values: Sequence) -> list:
    """`columns` of the rows whose `key` is one of `values`, as plain tuples."""
    if not values:
        return []
    connection = db.session.connection()
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        sql, parameters = f"SELECT {names} FROM {table.name} WHERE {key} = ANY(%s)", [list(values)]
    else:
        marks = ", ".join("?" * len(values))
        sql, parameters = f"SELECT {names} FROM {table.name} WHERE {key} IN ({marks})", values
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(sql, parameters)
        return cursor.fetchall()
    finally:
        cursor.close()


def insert_rows(table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    connection = db.session.connection()
    driver = connection.connection.driver_connection
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(columns))
    cursor = driver.cursor()
    try:
        cursor.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)
    finally:
        cursor.close()


def update_rows(
    table: Table, keys: Sequence[str], columns: Sequence[str], rows: Sequence[tuple]
) -> None:
    """Set `columns` of the rows found by `keys`: each row holds the keys' values, then the
    columns' values."""
    if not rows:
        return
    connection = db.session.connection()
    dialect = connection.dialect
    driver = connection.connection.driver_connection
    names = (*keys, *columns)
    if dialect.name == "postgresql":
        assign = ", ".join(f"{c} = v.{c}" for c in columns)
        arrays = ", ".join(f"%s::{table.c[n].type.compile(dialect=dialect)}[]" for n in names)
        match = " AND ".join(f"t.{k} = v.{k}" for k in keys)
        sql = (
            f"UPDATE {table.name} AS t SET {assign} FROM unnest({arrays}) "
            f"AS v({', '.join(names)}) WHERE {match}"
        )
        with driver.cursor() as cursor:
            cursor.execute(sql, [list(values) for values in zip(*rows, strict=True)])
        return
    assign = ", ".join(f"{c} = ?" for c in columns)
    match = " AND ".join(f"{k} = ?" for k in keys)
    cursor = driver.cursor()
    n = len(keys)
    try:
        cursor.executemany(
            f"UPDATE {table.name} SET {assign} WHERE {match}",
            (row[n:] + row[:n] for row in rows),
        )
    finally:
        cursor.close()
