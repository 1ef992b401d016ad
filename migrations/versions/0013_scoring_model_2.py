"""scoring model 2: the model version of each assessment, and the building type

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 19:20:00

Assessments scored before this revision carry model version 1; `flask scores rebuild`
rescores them under model 2 (the explained results are recomputed on read already).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('unit_assessments') as batch_op:
        batch_op.add_column(
            sa.Column('model_version', sa.Integer(), nullable=False, server_default='1')
        )
    with op.batch_alter_table('unit_assessments') as batch_op:
        batch_op.alter_column('model_version', server_default=None)
    with op.batch_alter_table('buildings') as batch_op:
        batch_op.add_column(sa.Column('building_type', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('buildings') as batch_op:
        batch_op.drop_column('building_type')
    with op.batch_alter_table('unit_assessments') as batch_op:
        batch_op.drop_column('model_version')
