"""address search terms in code point order, with fine statistics, on PostgreSQL

A search word is a range on `address_terms.term` ([word, the word with its last character
moved one up)). That range holds exactly the terms that start with the word only in code point
order, and PostgreSQL estimates how many rows fall inside a string range only for the "C"
collation. The column therefore uses "C" whatever the database's default collation is
(SQLite compares in code point order already). A register holds a few thousand distinct terms
shared by many buildings; with the default statistics target most words fall between two
histogram bounds and are estimated at one row, so the planner chose nested loops for
thousands of rows. A target of 1000 keeps the common terms and a fine histogram.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 01:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.alter_column('address_terms', 'term', type_=sa.String(length=40, collation='C'))
    op.execute('ALTER TABLE address_terms ALTER COLUMN term SET STATISTICS 1000')
    op.execute('ANALYZE address_terms')


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('ALTER TABLE address_terms ALTER COLUMN term SET STATISTICS -1')
    op.alter_column('address_terms', 'term', type_=sa.String(length=40))
