"""one row of limitation scores per unit, for matching

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 07:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# The stable limitation keys of SCORING.md and "general", as when this revision was written.
KEYS = (
    'wheelchair_manual', 'wheelchair_electric', 'walking_aid', 'balance', 'stamina', 'arm_hand',
    'blind', 'low_vision', 'deaf', 'hard_of_hearing', 'cognitive', 'asthma_allergy',
    'young_child', 'general',
)


def upgrade():
    op.create_table('unit_match_scores',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('bedrooms', sa.Integer(), nullable=True),
    sa.Column('district', sa.String(length=100), nullable=False),
    *(sa.Column(f'{key}_rank', sa.SmallInteger(), nullable=False) for key in KEYS),
    *(sa.Column(f'{key}_score', sa.Float(), nullable=False) for key in KEYS),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_match_scores_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_unit_match_scores'))
    )
    with op.batch_alter_table('unit_match_scores', schema=None) as batch_op:
        batch_op.create_index('ix_unit_match_scores_status_bedrooms', ['status', 'bedrooms'], unique=False)

    # Existing assessments: pivot their unit_scores rows (every assessment stores every key),
    # with the unit's status, bedrooms and district.
    pivot = ", ".join(
        [f"MAX(CASE WHEN s.key = '{key}' THEN s.class_rank END)" for key in KEYS]
        + [f"MAX(CASE WHEN s.key = '{key}' THEN s.score END)" for key in KEYS]
    )
    columns = ", ".join([f"{key}_rank" for key in KEYS] + [f"{key}_score" for key in KEYS])
    op.execute(
        f"INSERT INTO unit_match_scores (unit_id, status, bedrooms, district, {columns}) "
        f"SELECT s.unit_id, u.status, u.bedrooms, b.district, {pivot} FROM unit_scores s "
        "JOIN units u ON u.id = s.unit_id JOIN buildings b ON b.id = u.building_id "
        "GROUP BY s.unit_id, u.status, u.bedrooms, b.district"
    )


def downgrade():
    with op.batch_alter_table('unit_match_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_match_scores_status_bedrooms')

    op.drop_table('unit_match_scores')
