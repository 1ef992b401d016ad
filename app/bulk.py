"""Bulk inserts through the session's own connection (same transaction): COPY on
PostgreSQL, the driver's executemany elsewhere. For derived rows written by the thousand
(score rebuilds), where row-by-row statements cost more than the rest of the work."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Table

from app.extensions import db


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
