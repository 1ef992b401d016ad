"""assessments keep their scoring inputs; narrow unit scores

The stored, fully explained `result` of each assessment is replaced by the inputs it was scored
from (`inputs`: approved answers, unit facts, feasibility overrides), and the explanation is
recomputed on read. `unit_scores` keeps only what is filtered and ranked on.

Existing assessments get their inputs from the approved inspection's answers and today's unit
facts and overrides. A downgrade restores the dropped columns with placeholder values: run
`flask scores rebuild` of that release afterwards.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 07:40:00

"""
import itertools

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

assessments = sa.table(
    'unit_assessments',
    sa.column('unit_id', sa.Integer),
    sa.column('inspection_id', sa.Uuid),
    sa.column('inputs', sa.JSON),
)
answers = sa.table(
    'answers',
    sa.column('inspection_id', sa.Uuid),
    sa.column('item_id', sa.String),
    sa.column('value', sa.JSON),
    sa.column('not_applicable', sa.Boolean),
)
units = sa.table(
    'units', sa.column('id', sa.Integer), sa.column('building_id', sa.Integer),
    sa.column('floor', sa.Integer),
)
buildings = sa.table('buildings', sa.column('id', sa.Integer), sa.column('has_lift', sa.Boolean))
overrides = sa.table(
    'feasibility_overrides',
    sa.column('unit_id', sa.Integer),
    sa.column('building_id', sa.Integer),
    sa.column('measure_id', sa.String),
    sa.column('feasible', sa.Boolean),
)


def _backfill(conn):
    by_unit, by_building = {}, {}
    for row in conn.execute(sa.select(overrides)):
        if row.unit_id is not None:
            by_unit.setdefault(row.unit_id, {})[row.measure_id] = row.feasible
        else:
            by_building.setdefault(row.building_id, {})[row.measure_id] = row.feasible
    facts = {}
    for row in conn.execute(
        sa.select(assessments.c.unit_id, units.c.building_id, units.c.floor, buildings.c.has_lift)
        .join(units, units.c.id == assessments.c.unit_id)
        .join(buildings, buildings.c.id == units.c.building_id)
    ):
        known = {"floor": row.floor, "has_lift": row.has_lift}
        feasibility = {**by_building.get(row.building_id, {}), **by_unit.get(row.unit_id, {})}
        facts[row.unit_id] = ({k: v for k, v in known.items() if v is not None}, feasibility)
    # One pass over the current inspections' answers, grouped by unit, written in chunks.
    stream = conn.execute(
        sa.select(assessments.c.unit_id, answers.c.item_id, answers.c.value, answers.c.not_applicable)
        .join(answers, answers.c.inspection_id == assessments.c.inspection_id)
        .order_by(assessments.c.unit_id)
        .execution_options(yield_per=10_000)
    )
    pending = []
    for unit_id, rows in itertools.groupby(stream, key=lambda r: r.unit_id):
        rows = list(rows)
        unit_facts, feasibility = facts.pop(unit_id)
        pending.append({"id": unit_id, "new": {
            "answers": {r.item_id: r.value for r in rows if not r.not_applicable},
            "not_applicable": sorted(r.item_id for r in rows if r.not_applicable),
            "facts": unit_facts,
            "feasibility": feasibility,
        }})
        if len(pending) == 1000:
            _write(conn, pending)
    for unit_id, (unit_facts, feasibility) in facts.items():  # approved with no answers
        pending.append({"id": unit_id, "new": {
            "answers": {}, "not_applicable": [], "facts": unit_facts, "feasibility": feasibility,
        }})
    _write(conn, pending)


def _write(conn, pending):
    if pending:
        conn.execute(
            sa.update(assessments)
            .where(assessments.c.unit_id == sa.bindparam("id"))
            .values(inputs=sa.bindparam("new")),
            pending,
        )
        pending.clear()


def upgrade():
    with op.batch_alter_table('unit_assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inputs', sa.JSON(), nullable=True))
    _backfill(op.get_bind())
    with op.batch_alter_table('unit_assessments', schema=None) as batch_op:
        batch_op.alter_column('inputs', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('result')

    with op.batch_alter_table('unit_scores', schema=None) as batch_op:
        batch_op.drop_column('kind')
        batch_op.drop_column('suitability')
        batch_op.drop_column('coverage')
        batch_op.drop_column('problem_score')


def downgrade():
    with op.batch_alter_table('unit_scores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('problem_score', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('coverage', sa.Double(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('suitability', sa.String(length=16), nullable=False, server_default='unknown'))
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default='limitation'))

    with op.batch_alter_table('unit_assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('result', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.drop_column('inputs')
