"""offers of units to households, and reviewers' comments per item

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 18:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('open_unit_id', sa.Integer(), nullable=True),
    sa.Column('open_applicant_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('offered_by_id', sa.Integer(), nullable=True),
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['applicants.id'], name=op.f('fk_offers_applicant_id_applicants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_offers_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offered_by_id'], ['users.id'], name=op.f('fk_offers_offered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_offers_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offers')),
    sa.UniqueConstraint('open_applicant_id', name=op.f('uq_offers_open_applicant_id')),
    sa.UniqueConstraint('open_unit_id', name=op.f('uq_offers_open_unit_id'))
    )
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offers_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offers_unit_id'), ['unit_id'], unique=False)

    op.create_table('inspection_item_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_inspection_item_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_inspection_item_comments_inspection_id_inspections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_item_comments')),
    sa.UniqueConstraint('inspection_id', 'item_id', name=op.f('uq_inspection_item_comments_inspection_id_item_id'))
    )


def downgrade():
    op.drop_table('inspection_item_comments')
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offers_unit_id'))
        batch_op.drop_index(batch_op.f('ix_offers_applicant_id'))

    op.drop_table('offers')
