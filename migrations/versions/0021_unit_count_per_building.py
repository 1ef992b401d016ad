"""the number of units per building, kept by the database; unit numbers indexed with their
building

Address search counts the units of the matching buildings. For a common word ("veien": more
than half the buildings of a register) counting every matching unit read tens of thousands of
index entries per request; summing the matching buildings' counts reads one narrow row per
building. Triggers keep `building_unit_counts` on every insert, delete or move of a unit,
whichever way it is written (the ORM, the import's and the demo's bulk inserts, COPY): on
PostgreSQL once per statement from its transition tables, on SQLite once per row. The counts
live in a table of their own, not on the wide `buildings` rows, so that a bulk import rewrites
small rows only.

A unit number typed with an address word ("H0102 Tistedal") is counted from the unit-number
index alone when that index also holds the building.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

POSTGRESQL = [
    """
    CREATE FUNCTION units_counted_in() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO building_unit_counts AS kept (building_id, units)
        SELECT building_id, count(*) FROM new_units GROUP BY building_id
        ON CONFLICT (building_id) DO UPDATE SET units = kept.units + excluded.units;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION units_counted_out() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE building_unit_counts SET units = units - removed.n
        FROM (SELECT building_id, count(*) AS n FROM old_units GROUP BY building_id) AS removed
        WHERE building_unit_counts.building_id = removed.building_id;
        RETURN NULL;
    END $$
    """,
    # A unit moved to another building (rare): row by row, and only for moved rows.
    """
    CREATE FUNCTION unit_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE building_unit_counts SET units = units - 1 WHERE building_id = OLD.building_id;
        INSERT INTO building_unit_counts AS kept (building_id, units) VALUES (NEW.building_id, 1)
        ON CONFLICT (building_id) DO UPDATE SET units = kept.units + 1;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER units_count_insert AFTER INSERT ON units
    REFERENCING NEW TABLE AS new_units FOR EACH STATEMENT EXECUTE FUNCTION units_counted_in()
    """,
    """
    CREATE TRIGGER units_count_delete AFTER DELETE ON units
    REFERENCING OLD TABLE AS old_units FOR EACH STATEMENT EXECUTE FUNCTION units_counted_out()
    """,
    """
    CREATE TRIGGER units_count_move AFTER UPDATE OF building_id ON units FOR EACH ROW
    WHEN (OLD.building_id IS DISTINCT FROM NEW.building_id) EXECUTE FUNCTION unit_moved()
    """,
]

SQLITE = [
    """
    CREATE TRIGGER units_count_insert AFTER INSERT ON units BEGIN
        INSERT INTO building_unit_counts (building_id, units) VALUES (NEW.building_id, 1)
        ON CONFLICT (building_id) DO UPDATE SET units = units + 1;
    END
    """,
    """
    CREATE TRIGGER units_count_delete AFTER DELETE ON units BEGIN
        UPDATE building_unit_counts SET units = units - 1 WHERE building_id = OLD.building_id;
    END
    """,
    """
    CREATE TRIGGER units_count_move AFTER UPDATE OF building_id ON units
    WHEN OLD.building_id <> NEW.building_id BEGIN
        UPDATE building_unit_counts SET units = units - 1 WHERE building_id = OLD.building_id;
        INSERT INTO building_unit_counts (building_id, units) VALUES (NEW.building_id, 1)
        ON CONFLICT (building_id) DO UPDATE SET units = units + 1;
    END
    """,
]


def upgrade():
    op.create_table(
        'building_unit_counts',
        sa.Column('building_id', sa.Integer(), nullable=False),
        sa.Column('units', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['building_id'], ['buildings.id'],
            name=op.f('fk_building_unit_counts_building_id_buildings'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('building_id', name=op.f('pk_building_unit_counts')),
    )
    op.execute(
        'INSERT INTO building_unit_counts (building_id, units) '
        'SELECT building_id, count(*) FROM units GROUP BY building_id'
    )
    for statement in POSTGRESQL if op.get_bind().dialect.name == 'postgresql' else SQLITE:
        op.execute(statement)
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index('ix_units_unit_number')
        batch_op.create_index(
            'ix_units_unit_number_building_id', ['unit_number', 'building_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index('ix_units_unit_number_building_id')
        batch_op.create_index('ix_units_unit_number', ['unit_number'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        for trigger in ('insert', 'delete', 'move'):
            op.execute(f'DROP TRIGGER units_count_{trigger} ON units')
        for function in ('units_counted_in', 'units_counted_out', 'unit_moved'):
            op.execute(f'DROP FUNCTION {function}()')
    else:
        for trigger in ('insert', 'delete', 'move'):
            op.execute(f'DROP TRIGGER units_count_{trigger}')
    op.drop_table('building_unit_counts')
