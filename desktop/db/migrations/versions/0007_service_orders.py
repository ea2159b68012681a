"""Service orders with their history, parts and signatures; engineer profiles; return visits.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from desktop.domain.base import Quantity, UTCDateTime

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('engineer_profiles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('area', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_engineer_profiles_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_engineer_profiles'))
    )
    op.create_table('service_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('branch_code', sa.String(length=10), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('contact_name', sa.String(length=60), nullable=False),
    sa.Column('contact_phone', sa.String(length=30), nullable=False),
    sa.Column('project', sa.String(length=100), nullable=False),
    sa.Column('request', sa.Text(), nullable=False),
    sa.Column('special_requests', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('urgency', sa.String(length=10), nullable=False),
    sa.Column('expected_by', UTCDateTime(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('coverage_proposed', sa.String(length=20), nullable=False),
    sa.Column('coverage_rule', sa.Text(), nullable=False),
    sa.Column('coverage_decided', sa.String(length=20), nullable=False),
    sa.Column('coverage_decided_by', sa.String(length=40), nullable=False),
    sa.Column('engineer_id', sa.Integer(), nullable=True),
    sa.Column('appointment_at', UTCDateTime(), nullable=True),
    sa.Column('finish_by', UTCDateTime(), nullable=True),
    sa.Column('arrived_at', UTCDateTime(), nullable=True),
    sa.Column('finished_at', UTCDateTime(), nullable=True),
    sa.Column('confirmed_need', sa.Text(), nullable=False),
    sa.Column('diagnosis', sa.Text(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('labour_fee', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('other_fee', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('fees_agreed', sa.Boolean(), nullable=False),
    sa.Column('remaining_issues', sa.Text(), nullable=False),
    sa.Column('advice', sa.Text(), nullable=False),
    sa.Column('self_check_done', sa.Boolean(), nullable=False),
    sa.Column('first_time_fix', sa.Boolean(), nullable=True),
    sa.Column('signed_hash', sa.String(length=64), nullable=True),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_service_orders_customer_id_customers')),
    sa.ForeignKeyConstraint(['engineer_id'], ['users.id'], name=op.f('fk_service_orders_engineer_id_users')),
    sa.ForeignKeyConstraint(['previous_id'], ['service_orders.id'], name=op.f('fk_service_orders_previous_id_service_orders')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_service_orders_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_orders')),
    sa.UniqueConstraint('number', 'revision', name='uq_service_orders_number_revision')
    )
    with op.batch_alter_table('service_orders', schema=None) as batch_op:
        batch_op.create_index('ix_service_orders_appointment_at_id', ['appointment_at', 'id'], unique=False)
        batch_op.create_index('ix_service_orders_category_id', ['category', 'id'], unique=False)
        batch_op.create_index('ix_service_orders_created_at_id', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_service_orders_customer_id', ['customer_id'], unique=False)
        batch_op.create_index('ix_service_orders_engineer_id_status', ['engineer_id', 'status'], unique=False)
        batch_op.create_index('ix_service_orders_status_id', ['status', 'id'], unique=False)

    op.create_table('order_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['service_orders.id'], name=op.f('fk_order_events_order_id_service_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_events'))
    )
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.create_index('ix_order_events_order_id_id', ['order_id', 'id'], unique=False)

    op.create_table('order_parts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('quantity', Quantity(), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('issue_number', sa.String(length=30), nullable=False),
    sa.Column('old_part', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['service_orders.id'], name=op.f('fk_order_parts_order_id_service_orders')),
    sa.ForeignKeyConstraint(['part_id'], ['parts.id'], name=op.f('fk_order_parts_part_id_parts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_parts'))
    )
    with op.batch_alter_table('order_parts', schema=None) as batch_op:
        batch_op.create_index('ix_order_parts_order_id', ['order_id'], unique=False)

    op.create_table('return_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('complaint_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_at', UTCDateTime(), nullable=True),
    sa.Column('done_by', sa.String(length=40), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('comments', sa.Text(), nullable=False),
    sa.Column('follow_up_complaint_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_return_visits_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_return_visits_customer_id_customers')),
    sa.ForeignKeyConstraint(['follow_up_complaint_id'], ['complaints.id'], name=op.f('fk_return_visits_follow_up_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['order_id'], ['service_orders.id'], name=op.f('fk_return_visits_order_id_service_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_visits'))
    )
    with op.batch_alter_table('return_visits', schema=None) as batch_op:
        batch_op.create_index('ix_return_visits_customer_id', ['customer_id'], unique=False)
        batch_op.create_index('ix_return_visits_due_on_id', ['due_on', 'id'], unique=False)

    op.create_table('signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('signer_role', sa.String(length=10), nullable=False),
    sa.Column('signer_name', sa.String(length=60), nullable=False),
    sa.Column('signed_at', UTCDateTime(), nullable=False),
    sa.Column('strokes', sa.JSON(), nullable=True),
    sa.Column('image_png', sa.LargeBinary(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('paper_attachment_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['service_orders.id'], name=op.f('fk_signatures_order_id_service_orders')),
    sa.ForeignKeyConstraint(['paper_attachment_id'], ['attachments.id'], name=op.f('fk_signatures_paper_attachment_id_attachments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signatures'))
    )
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.create_index('ix_signatures_order_id', ['order_id'], unique=False)


    # A signature stays what was signed: no program may change or remove it (as for the audit log).
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER signatures_no_{event.lower()} BEFORE {event} ON signatures "
                "BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION signatures_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'signatures are append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER signatures_no_change BEFORE UPDATE OR DELETE ON signatures "
            "FOR EACH ROW EXECUTE FUNCTION signatures_append_only()"
        )



def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER signatures_no_change ON signatures")
        op.execute("DROP FUNCTION signatures_append_only()")
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index('ix_signatures_order_id')

    op.drop_table('signatures')
    with op.batch_alter_table('return_visits', schema=None) as batch_op:
        batch_op.drop_index('ix_return_visits_due_on_id')
        batch_op.drop_index('ix_return_visits_customer_id')

    op.drop_table('return_visits')
    with op.batch_alter_table('order_parts', schema=None) as batch_op:
        batch_op.drop_index('ix_order_parts_order_id')

    op.drop_table('order_parts')
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.drop_index('ix_order_events_order_id_id')

    op.drop_table('order_events')
    with op.batch_alter_table('service_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_service_orders_status_id')
        batch_op.drop_index('ix_service_orders_engineer_id_status')
        batch_op.drop_index('ix_service_orders_customer_id')
        batch_op.drop_index('ix_service_orders_created_at_id')
        batch_op.drop_index('ix_service_orders_category_id')
        batch_op.drop_index('ix_service_orders_appointment_at_id')

    op.drop_table('service_orders')
    op.drop_table('engineer_profiles')
