"""Complaints with their history and costs; attachments; number counters; users' approval limits.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from desktop.domain.base import UTCDateTime

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attachment_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_attachment_blobs'))
    )
    op.create_table('branch_settings',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_branch_settings'))
    )
    op.create_table('counters',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_counters'))
    )
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_type', sa.String(length=30), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('added_by', sa.String(length=40), nullable=False),
    sa.Column('added_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['attachment_blobs.sha256'], name=op.f('fk_attachments_sha256_attachment_blobs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index('ix_attachments_owner', ['owner_type', 'owner_id'], unique=False)

    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('branch_code', sa.String(length=10), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('received_at', UTCDateTime(), nullable=False),
    sa.Column('received_by_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('product_model', sa.String(length=60), nullable=False),
    sa.Column('serial_number', sa.String(length=60), nullable=False),
    sa.Column('purchase_date', sa.Date(), nullable=True),
    sa.Column('invoice_number', sa.String(length=40), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('customer_request', sa.Text(), nullable=False),
    sa.Column('classification', sa.String(length=14), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('safety_hazard', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('due_at', UTCDateTime(), nullable=True),
    sa.Column('first_reply_at', UTCDateTime(), nullable=True),
    sa.Column('assessed_at', UTCDateTime(), nullable=True),
    sa.Column('accepted_at', UTCDateTime(), nullable=True),
    sa.Column('closed_at', UTCDateTime(), nullable=True),
    sa.Column('assessment', sa.Text(), nullable=False),
    sa.Column('cause', sa.Text(), nullable=False),
    sa.Column('responsible_department', sa.String(length=60), nullable=False),
    sa.Column('responsible_person', sa.String(length=60), nullable=False),
    sa.Column('response_type', sa.String(length=20), nullable=False),
    sa.Column('decision', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('customer_accepted', sa.Boolean(), nullable=True),
    sa.Column('recourse_told', sa.JSON(), nullable=True),
    sa.Column('escalated', sa.Boolean(), nullable=False),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('contract_clause', sa.Text(), nullable=False),
    sa.Column('inspection_verdict', sa.Text(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_complaints_customer_id_customers')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_complaints_decided_by_id_users')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['complaints.id'], name=op.f('fk_complaints_duplicate_of_id_complaints')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_complaints_owner_id_users')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_complaints_product_id_products')),
    sa.ForeignKeyConstraint(['received_by_id'], ['users.id'], name=op.f('fk_complaints_received_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints')),
    sa.UniqueConstraint('number', name=op.f('uq_complaints_number'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index('ix_complaints_classification_id', ['classification', 'id'], unique=False)
        batch_op.create_index('ix_complaints_customer_id', ['customer_id'], unique=False)
        batch_op.create_index('ix_complaints_due_at_id', ['due_at', 'id'], unique=False)
        batch_op.create_index('ix_complaints_owner_id_status', ['owner_id', 'status'], unique=False)
        batch_op.create_index('ix_complaints_product_model_id', ['product_model', 'id'], unique=False)
        batch_op.create_index('ix_complaints_received_at_id', ['received_at', 'id'], unique=False)
        batch_op.create_index('ix_complaints_serial_number', ['serial_number'], unique=False)
        batch_op.create_index('ix_complaints_severity_id', ['severity', 'id'], unique=False)
        batch_op.create_index('ix_complaints_status_due_at', ['status', 'due_at'], unique=False)
        batch_op.create_index('ix_complaints_status_id', ['status', 'id'], unique=False)

    op.create_table('complaint_costs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=14), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('bearer', sa.String(length=14), nullable=False),
    sa.Column('allocation_department', sa.String(length=60), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', UTCDateTime(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', UTCDateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_complaint_costs_approved_by_id_users')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_costs_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_complaint_costs_entered_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_costs'))
    )
    with op.batch_alter_table('complaint_costs', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_costs_complaint_id', ['complaint_id'], unique=False)

    op.create_table('complaint_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_events_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_complaint_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_events'))
    )
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_events_complaint_id_id', ['complaint_id', 'id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approval_limit', sa.Numeric(precision=12, scale=2), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('approval_limit')

    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_events_complaint_id_id')

    op.drop_table('complaint_events')
    with op.batch_alter_table('complaint_costs', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_costs_complaint_id')

    op.drop_table('complaint_costs')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_status_id')
        batch_op.drop_index('ix_complaints_status_due_at')
        batch_op.drop_index('ix_complaints_severity_id')
        batch_op.drop_index('ix_complaints_serial_number')
        batch_op.drop_index('ix_complaints_received_at_id')
        batch_op.drop_index('ix_complaints_product_model_id')
        batch_op.drop_index('ix_complaints_owner_id_status')
        batch_op.drop_index('ix_complaints_due_at_id')
        batch_op.drop_index('ix_complaints_customer_id')
        batch_op.drop_index('ix_complaints_classification_id')

    op.drop_table('complaints')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_attachments_owner')

    op.drop_table('attachments')
    op.drop_table('counters')
    op.drop_table('branch_settings')
    op.drop_table('attachment_blobs')
