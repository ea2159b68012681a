"""Spare-parts warehouse: parts and substitutes, bins, FIFO lots, stock documents, the ledger and balances.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from desktop.domain.base import Quantity, UTCDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('zone', sa.String(length=2), nullable=False),
    sa.Column('shelf', sa.Integer(), nullable=False),
    sa.Column('layer', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('archived_at', UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bins')),
    sa.UniqueConstraint('code', name=op.f('uq_bins_code'))
    )
    with op.batch_alter_table('bins', schema=None) as batch_op:
        batch_op.create_index('ix_bins_walk', ['zone', 'shelf', 'layer', 'position'], unique=False)

    op.create_table('parts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('model', sa.String(length=60), nullable=False),
    sa.Column('specification', sa.String(length=100), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('usage', sa.Text(), nullable=False),
    sa.Column('reorder_point', Quantity(), nullable=False),
    sa.Column('safety_stock', Quantity(), nullable=False),
    sa.Column('unit_cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('abc_class', sa.String(length=1), nullable=False),
    sa.Column('abc_override', sa.String(length=1), nullable=True),
    sa.Column('archived_at', UTCDateTime(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parts')),
    sa.UniqueConstraint('code', name=op.f('uq_parts_code'))
    )
    with op.batch_alter_table('parts', schema=None) as batch_op:
        batch_op.create_index('ix_parts_name_id', ['name', 'id'], unique=False)

    op.create_table('stock_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('kind', sa.String(length=14), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('receiver', sa.String(length=60), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_documents')),
    sa.UniqueConstraint('number', name=op.f('uq_stock_documents_number'))
    )
    with op.batch_alter_table('stock_documents', schema=None) as batch_op:
        batch_op.create_index('ix_stock_documents_at_id', ['at', 'id'], unique=False)

    op.create_table('lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('bin_id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('unit_cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('supplier_document', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['bin_id'], ['bins.id'], name=op.f('fk_lots_bin_id_bins')),
    sa.ForeignKeyConstraint(['part_id'], ['parts.id'], name=op.f('fk_lots_part_id_parts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lots'))
    )
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.create_index('ix_lots_part_id_received_on', ['part_id', 'received_on', 'id'], unique=False)

    op.create_table('part_substitutes',
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('substitute_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['part_id'], ['parts.id'], name=op.f('fk_part_substitutes_part_id_parts')),
    sa.ForeignKeyConstraint(['substitute_id'], ['parts.id'], name=op.f('fk_part_substitutes_substitute_id_parts')),
    sa.PrimaryKeyConstraint('part_id', 'substitute_id', name=op.f('pk_part_substitutes'))
    )
    op.create_table('stock_balances',
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('bin_id', sa.Integer(), nullable=False),
    sa.Column('quantity', Quantity(), nullable=False),
    sa.CheckConstraint('quantity >= 0', name=op.f('ck_stock_balances_not_negative')),
    sa.ForeignKeyConstraint(['bin_id'], ['bins.id'], name=op.f('fk_stock_balances_bin_id_bins')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_stock_balances_lot_id_lots')),
    sa.ForeignKeyConstraint(['part_id'], ['parts.id'], name=op.f('fk_stock_balances_part_id_parts')),
    sa.PrimaryKeyConstraint('lot_id', name=op.f('pk_stock_balances'))
    )
    with op.batch_alter_table('stock_balances', schema=None) as batch_op:
        batch_op.create_index('ix_stock_balances_bin_id', ['bin_id'], unique=False)
        batch_op.create_index('ix_stock_balances_part_id', ['part_id'], unique=False)

    op.create_table('stock_movements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=14), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('bin_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('quantity', Quantity(), nullable=False),
    sa.Column('unit_cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['bin_id'], ['bins.id'], name=op.f('fk_stock_movements_bin_id_bins')),
    sa.ForeignKeyConstraint(['document_id'], ['stock_documents.id'], name=op.f('fk_stock_movements_document_id_stock_documents')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_stock_movements_lot_id_lots')),
    sa.ForeignKeyConstraint(['part_id'], ['parts.id'], name=op.f('fk_stock_movements_part_id_parts')),
    sa.ForeignKeyConstraint(['reverses_id'], ['stock_movements.id'], name=op.f('fk_stock_movements_reverses_id_stock_movements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_movements')),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_stock_movements_reverses_id'))
    )
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.create_index('ix_stock_movements_at_id', ['at', 'id'], unique=False)
        batch_op.create_index('ix_stock_movements_bin_id_at', ['bin_id', 'at'], unique=False)
        batch_op.create_index('ix_stock_movements_document_id', ['document_id'], unique=False)
        batch_op.create_index('ix_stock_movements_kind_at', ['kind', 'at'], unique=False)
        batch_op.create_index('ix_stock_movements_part_id_at', ['part_id', 'at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_movements_part_id_at')
        batch_op.drop_index('ix_stock_movements_kind_at')
        batch_op.drop_index('ix_stock_movements_document_id')
        batch_op.drop_index('ix_stock_movements_bin_id_at')
        batch_op.drop_index('ix_stock_movements_at_id')

    op.drop_table('stock_movements')
    with op.batch_alter_table('stock_balances', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_balances_part_id')
        batch_op.drop_index('ix_stock_balances_bin_id')

    op.drop_table('stock_balances')
    op.drop_table('part_substitutes')
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_index('ix_lots_part_id_received_on')

    op.drop_table('lots')
    with op.batch_alter_table('stock_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_documents_at_id')

    op.drop_table('stock_documents')
    with op.batch_alter_table('parts', schema=None) as batch_op:
        batch_op.drop_index('ix_parts_name_id')

    op.drop_table('parts')
    with op.batch_alter_table('bins', schema=None) as batch_op:
        batch_op.drop_index('ix_bins_walk')

    op.drop_table('bins')
