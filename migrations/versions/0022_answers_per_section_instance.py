"""answers per instance of a repeated section; bathrooms on units

A checklist section may be repeated (two bathrooms, three bedrooms): its items are answered
once per instance. Answers, their history, reviewers' item comments and photos name their
instance (`instance`, 1 for everything that exists: every answer so far is instance 1), and
an answer or a comment is unique per item and instance. `section_instances` holds the
instances of an inspection's repeated sections: number (the instance's id, never reused
within an inspection, so a deleted instance keeps its row with `deleted_at`), label and
position. A repeated section without rows has one instance, number 1. Units get
`bathrooms`, the number of bathroom instances an inspection starts with.

On SQLite the uniqueness of answers, comments and photos lives in their CREATE TABLE, so those
three tables are rebuilt (batch mode; no table refers to them). `units` is referred to by
many tables and carries the triggers of 0021: its column is added and dropped in place.

Downgrade loses data, on purpose and only this: the answers, history rows, item comments and
photo links of instances above 1 are deleted before the columns and `section_instances` go
(instance 1 stays as the single answer per item it was before). Photo files that only such
links used are left for `flask photos sweep`. Units lose `bathrooms`.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-09 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

# (table, the unique columns before, after); None: no uniqueness of its own.
INSTANCED = (
    ('answers', ['inspection_id', 'item_id'], ['inspection_id', 'item_id', 'instance']),
    ('answer_changes', None, None),
    (
        'inspection_item_comments',
        ['inspection_id', 'item_id'],
        ['inspection_id', 'item_id', 'instance'],
    ),
    (
        'photos',
        ['inspection_id', 'item_id', 'sha256'],
        ['inspection_id', 'item_id', 'instance', 'sha256'],
    ),
)


def _unique_name(table, columns):
    return op.f(f"uq_{table}_{'_'.join(columns)}")


def upgrade():
    op.create_table('section_instances',
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('section_id', sa.String(length=100), nullable=False),
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_section_instances_inspection_id_inspections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('inspection_id', 'section_id', 'number', name=op.f('pk_section_instances'))
    )
    for table, before, after in INSTANCED:
        if before is None:
            # A column only: added in place, also on SQLite.
            op.add_column(
                table, sa.Column('instance', sa.Integer(), server_default='1', nullable=False)
            )
            continue
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('instance', sa.Integer(), server_default='1', nullable=False)
            )
            batch_op.drop_constraint(_unique_name(table, before), type_='unique')
            batch_op.create_unique_constraint(_unique_name(table, after), after)
    op.add_column('units', sa.Column('bathrooms', sa.Integer(), nullable=True))


def downgrade():
    op.drop_column('units', 'bathrooms')  # in place: SQLite 3.35+ drops a plain column
    for table, _before, _after in INSTANCED:
        op.execute(f'DELETE FROM {table} WHERE instance > 1')
    for table, before, after in reversed(INSTANCED):
        if before is None:
            op.drop_column(table, 'instance')
            continue
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(_unique_name(table, after), type_='unique')
            batch_op.create_unique_constraint(_unique_name(table, before), before)
            batch_op.drop_column('instance')
    op.drop_table('section_instances')
