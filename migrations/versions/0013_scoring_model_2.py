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


# Plain ADD and DROP COLUMN (SQLite 3.35+ has both): a batch copy of `buildings` would have
# to drop a table that units refer to.


def upgrade():
    op.add_column(
        'unit_assessments',
        sa.Column('model_version', sa.Integer(), nullable=False, server_default='1'),
    )
    op.add_column('buildings', sa.Column('building_type', sa.String(length=16), nullable=True))


def downgrade():
    op.drop_column('buildings', 'building_type')
    op.drop_column('unit_assessments', 'model_version')
