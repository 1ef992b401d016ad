"""photos per item (shared files); one open draft per unit and inspector; address terms

The same image attached to two items of an inspection becomes two photo rows that share one set
of files, so the uniqueness of a photo's bytes is per item. A second open draft of the same unit
by the same inspector is refused by a partial unique index. Nothing is changed silently: a
database that already holds such duplicates stops the upgrade and names them.

Address search reads `address_terms`: every word of a building's address, place and district
with its suffixes, so any word typed anywhere in an address is one index range. Existing
buildings get their terms here (the app keeps them from then on).

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-02 18:45:00

"""
from alembic import op
import sqlalchemy as sa

from app.units.search_terms import terms_of


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0017'
branch_labels = None
depends_on = None

DRAFT = sa.text("status = 'draft'")


def upgrade():
    op.create_table('address_terms',
    sa.Column('term', sa.String(length=40), nullable=False),
    sa.Column('building_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['building_id'], ['buildings.id'], name=op.f('fk_address_terms_building_id_buildings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('term', 'building_id', name=op.f('pk_address_terms'))
    )
    with op.batch_alter_table('address_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_address_terms_building_id'), ['building_id'], unique=False)
    terms = sa.table('address_terms', sa.column('term', sa.String), sa.column('building_id', sa.Integer))
    bind = op.get_bind()
    rows = [
        {'term': term, 'building_id': b.id}
        for b in bind.execute(sa.text('SELECT id, address, place, district FROM buildings'))
        for term in terms_of(b.address, b.place, b.district)
    ]
    for start in range(0, len(rows), 10000):
        bind.execute(terms.insert(), rows[start:start + 10000])

    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_constraint('uq_photos_inspection_id_sha256', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_photos_inspection_id_item_id_sha256'),
            ['inspection_id', 'item_id', 'sha256'],
        )
    duplicates = op.get_bind().execute(sa.text(
        "SELECT unit_id, inspector_id FROM inspections WHERE status = 'draft' "
        "GROUP BY unit_id, inspector_id HAVING COUNT(*) > 1"
    )).fetchall()
    if duplicates:
        raise RuntimeError(
            "Several open drafts of the same unit by the same inspector (unit_id, inspector_id): "
            f"{duplicates}. Delete or submit the extra drafts, then migrate again."
        )
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.create_index(
            'uq_inspections_open_draft', ['unit_id', 'inspector_id'], unique=True,
            sqlite_where=DRAFT, postgresql_where=DRAFT,
        )


def downgrade():
    with op.batch_alter_table('address_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_address_terms_building_id'))
    op.drop_table('address_terms')
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_index('uq_inspections_open_draft')
    # Photos that share bytes on several items keep only the oldest row (its files stay).
    op.execute(
        "DELETE FROM photos WHERE EXISTS (SELECT 1 FROM photos AS first "
        "WHERE first.inspection_id = photos.inspection_id AND first.sha256 = photos.sha256 "
        "AND (first.created_at < photos.created_at "
        "OR (first.created_at = photos.created_at AND first.id < photos.id)))"
    )
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('uq_photos_inspection_id_item_id_sha256'), type_='unique'
        )
        batch_op.create_unique_constraint(
            'uq_photos_inspection_id_sha256', ['inspection_id', 'sha256']
        )
