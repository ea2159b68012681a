"""Monthly stocktake: the stocktake with its state and the lines with book quantity, count and recount.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from desktop.domain.base import Quantity, UTCDateTime

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stocktakes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('zones', sa.JSON(), nullable=True),
    sa.Column('abc_class', sa.String(length=1), nullable=True),
    sa.Column('blind', sa.Boolean(), nullable=False),
    sa.Column('record_movements', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('started_at', UTCDateTime(), nullable=True),
    sa.Column('counted_at', UTCDateTime(), nullable=True),
    sa.Column('approved_by', sa.String(length=40), nullable=True),
    sa.Column('approved_at', UTCDateTime(), nullable=True),
    sa.Column('posted_at', UTCDateTime(), nullable=True),
    sa.Column('posted_document', sa.String(length=30), nullable=True),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stocktakes')),
    sa.UniqueConstraint('number', name=op.f('uq_stocktakes_number'))
    )
    op.create_table('stocktake_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stocktake_id', sa.Integer(), nullable=False),
    sa.Column('bin_id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=True),
    sa.Column('book', Quantity(), nullable=False),
    sa.Column('unit_cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('counted', Quantity(), nullable=True),
    sa.Column('counted_by', sa.String(length=40), nullable=True),
    sa.Column('counted_at', UTCDateTime(), nullable=True),
    sa.Column('recounted', Quantity(), nullable=True),
    sa.Column('recounted_by', sa.String(length=40), nullable=True),
    sa.Column('recounted_at', UTCDateTime(), nullable=True),
    sa.Column('found', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['bin_id'], ['bins.id'], name=op.f('fk_stocktake_lines_bin_id_bins')),
    sa.ForeignKeyConstraint(['part_id'], ['parts.id'], name=op.f('fk_stocktake_lines_part_id_parts')),
    sa.ForeignKeyConstraint(['stocktake_id'], ['stocktakes.id'], name=op.f('fk_stocktake_lines_stocktake_id_stocktakes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stocktake_lines')),
    sa.UniqueConstraint('stocktake_id', 'bin_id', 'part_id', name='uq_stocktake_lines_bin_part')
    )
    with op.batch_alter_table('stocktake_lines', schema=None) as batch_op:
        batch_op.create_index('ix_stocktake_lines_bin_id', ['bin_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('stocktake_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_stocktake_lines_bin_id')

    op.drop_table('stocktake_lines')
    op.drop_table('stocktakes')
