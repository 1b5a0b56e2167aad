"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-24 23:40:37.759694
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('agent',
    sa.Column('agent_id', sa.String(length=16), nullable=False),
    sa.Column('display_name', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('team', sa.String(length=32), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('agent_id', name=op.f('pk_agent'))
    )
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('audit_log',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('agent_id', sa.String(length=16), nullable=False),
    sa.Column('desk_id', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=48), nullable=False),
    sa.Column('record_type', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=64), nullable=False),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_agent_id'), ['agent_id'], unique=False)

    op.create_table('customer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('id_type', sa.String(length=24), nullable=False),
    sa.Column('id_number', sa.String(length=32), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('mobile', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=120), nullable=True),
    sa.Column('addr_province', sa.String(length=32), nullable=True),
    sa.Column('addr_city', sa.String(length=32), nullable=True),
    sa.Column('addr_district', sa.String(length=32), nullable=True),
    sa.Column('addr_detail', sa.String(length=200), nullable=True),
    sa.Column('bank_card', sa.String(length=24), nullable=True),
    sa.Column('preferred_language', sa.String(length=8), nullable=False),
    sa.Column('vip_level', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer'))
    )
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_mobile'), ['mobile'], unique=False)

    op.create_table('department',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_zh', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_department'))
    )
    op.create_table('identity_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.String(length=16), nullable=False),
    sa.Column('desk_id', sa.String(length=64), nullable=False),
    sa.Column('linkedid', sa.String(length=64), nullable=True),
    sa.Column('method', sa.String(length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_check')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_identity_check_token_hash'))
    )
    with op.batch_alter_table('identity_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_check_customer_id'), ['customer_id'], unique=False)

    op.create_table('identity_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('agent_id', sa.String(length=16), nullable=False),
    sa.Column('linkedid', sa.String(length=64), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_failure'))
    )
    with op.batch_alter_table('identity_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_failure_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_failure_linkedid'), ['linkedid'], unique=False)

    op.create_table('service_category',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('parent_code', sa.String(length=32), nullable=True),
    sa.Column('name_zh', sa.String(length=32), nullable=False),
    sa.Column('name_en', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['parent_code'], ['service_category.code'], name=op.f('fk_service_category_parent_code_service_category')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_service_category'))
    )
    op.create_table('sla_rule',
    sa.Column('priority', sa.String(length=8), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('priority', name=op.f('pk_sla_rule'))
    )
    op.create_table('agent_sign_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.String(length=16), nullable=False),
    sa.Column('desk_id', sa.String(length=64), nullable=False),
    sa.Column('signed_in_at', sa.DateTime(), nullable=False),
    sa.Column('signed_out_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agent.agent_id'], name=op.f('fk_agent_sign_in_agent_id_agent')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agent_sign_in'))
    )
    with op.batch_alter_table('agent_sign_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_sign_in_agent_id'), ['agent_id'], unique=False)

    op.create_table('agent_skill',
    sa.Column('agent_id', sa.String(length=16), nullable=False),
    sa.Column('queue', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agent.agent_id'], name=op.f('fk_agent_skill_agent_id_agent'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('agent_id', 'queue', name=op.f('pk_agent_skill'))
    )
    op.create_table('agent_state_span',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agent.agent_id'], name=op.f('fk_agent_state_span_agent_id_agent')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agent_state_span'))
    )
    with op.batch_alter_table('agent_state_span', schema=None) as batch_op:
        batch_op.create_index('ix_agent_state_span_agent_started', ['agent_id', 'started_at'], unique=False)

    op.create_table('contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('linkedid', sa.String(length=64), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('queue', sa.String(length=32), nullable=True),
    sa.Column('agent_id', sa.String(length=16), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('caller_number', sa.String(length=20), nullable=True),
    sa.Column('offered_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('recording_ref', sa.String(length=200), nullable=True),
    sa.Column('survey_score', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_contact_customer_id_customer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact')),
    sa.UniqueConstraint('linkedid', 'agent_id', name='uq_contact_linkedid_agent')
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index('ix_contact_customer_offered', ['customer_id', 'offered_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_linkedid'), ['linkedid'], unique=False)

    op.create_table('customer_phone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_customer_phone_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_phone'))
    )
    with op.batch_alter_table('customer_phone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_phone_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_phone_number'), ['number'], unique=False)

    op.create_table('policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('product_line', sa.String(length=24), nullable=False),
    sa.Column('product_name', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('cooling_off_ends_on', sa.Date(), nullable=True),
    sa.Column('premium', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('sum_insured', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('insured_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['holder_id'], ['customer.id'], name=op.f('fk_policy_holder_id_customer')),
    sa.ForeignKeyConstraint(['insured_id'], ['customer.id'], name=op.f('fk_policy_insured_id_customer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy')),
    sa.UniqueConstraint('number', name=op.f('uq_policy_number'))
    )
    with op.batch_alter_table('policy', schema=None) as batch_op:
        batch_op.create_index('ix_policy_holder_status', ['holder_id', 'status'], unique=False)
        batch_op.create_index('ix_policy_insured_status', ['insured_id', 'status'], unique=False)

    op.create_table('routing_rule',
    sa.Column('category_code', sa.String(length=32), nullable=False),
    sa.Column('department_code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['category_code'], ['service_category.code'], name=op.f('fk_routing_rule_category_code_service_category')),
    sa.ForeignKeyConstraint(['department_code'], ['department.code'], name=op.f('fk_routing_rule_department_code_department')),
    sa.PrimaryKeyConstraint('category_code', name=op.f('pk_routing_rule'))
    )
    op.create_table('transfer_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('linkedid', sa.String(length=64), nullable=True),
    sa.Column('category_code', sa.String(length=32), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('department_code', sa.String(length=32), nullable=False),
    sa.Column('priority', sa.String(length=8), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('raised_by', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_code'], ['service_category.code'], name=op.f('fk_transfer_order_category_code_service_category')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_transfer_order_customer_id_customer')),
    sa.ForeignKeyConstraint(['department_code'], ['department.code'], name=op.f('fk_transfer_order_department_code_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_order')),
    sa.UniqueConstraint('number', name=op.f('uq_transfer_order_number'))
    )
    with op.batch_alter_table('transfer_order', schema=None) as batch_op:
        batch_op.create_index('ix_transfer_order_customer_status', ['customer_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfer_order_raised_by'), ['raised_by'], unique=False)

    op.create_table('beneficiary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('id_number', sa.String(length=32), nullable=True),
    sa.Column('relation', sa.String(length=16), nullable=False),
    sa.Column('share_percent', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['policy_id'], ['policy.id'], name=op.f('fk_beneficiary_policy_id_policy'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_beneficiary'))
    )
    with op.batch_alter_table('beneficiary', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_beneficiary_policy_id'), ['policy_id'], unique=False)

    op.create_table('claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['policy_id'], ['policy.id'], name=op.f('fk_claim_policy_id_policy')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim')),
    sa.UniqueConstraint('number', name=op.f('uq_claim_number'))
    )
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.create_index('ix_claim_policy_status', ['policy_id', 'status'], unique=False)

    op.create_table('transfer_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['transfer_order.id'], name=op.f('fk_transfer_step_order_id_transfer_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_step'))
    )
    with op.batch_alter_table('transfer_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_step_order_id'), ['order_id'], unique=False)

    op.create_table('vehicle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('plate', sa.String(length=10), nullable=False),
    sa.Column('vin', sa.String(length=17), nullable=False),
    sa.Column('model', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['policy_id'], ['policy.id'], name=op.f('fk_vehicle_policy_id_policy'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vehicle')),
    sa.UniqueConstraint('policy_id', name=op.f('uq_vehicle_policy_id'))
    )
    with op.batch_alter_table('vehicle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vehicle_plate'), ['plate'], unique=False)
        batch_op.create_index(batch_op.f('ix_vehicle_vin'), ['vin'], unique=False)

    op.create_table('wrap_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('category_code', sa.String(length=32), nullable=False),
    sa.Column('resolved_first_contact', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('agent_id', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['category_code'], ['service_category.code'], name=op.f('fk_wrap_up_category_code_service_category')),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_wrap_up_contact_id_contact')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wrap_up')),
    sa.UniqueConstraint('contact_id', name=op.f('uq_wrap_up_contact_id'))
    )
    op.create_table('claim_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_claim_event_claim_id_claim'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_event'))
    )
    with op.batch_alter_table('claim_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_event_claim_id'), ['claim_id'], unique=False)

    op.create_table('claim_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_number', sa.String(length=32), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('reported_by', sa.String(length=16), nullable=False),
    sa.Column('linkedid', sa.String(length=64), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('police_attended', sa.Boolean(), nullable=True),
    sa.Column('insured_customer_id', sa.Integer(), nullable=True),
    sa.Column('event_type', sa.String(length=24), nullable=True),
    sa.Column('hospital', sa.String(length=100), nullable=True),
    sa.Column('admitted_on', sa.Date(), nullable=True),
    sa.Column('discharged_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_claim_report_claim_id_claim')),
    sa.ForeignKeyConstraint(['insured_customer_id'], ['customer.id'], name=op.f('fk_claim_report_insured_customer_id_customer')),
    sa.ForeignKeyConstraint(['policy_id'], ['policy.id'], name=op.f('fk_claim_report_policy_id_policy')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_report')),
    sa.UniqueConstraint('claim_id', name=op.f('uq_claim_report_claim_id')),
    sa.UniqueConstraint('report_number', name=op.f('uq_claim_report_report_number'))
    )
    with op.batch_alter_table('claim_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_report_linkedid'), ['linkedid'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_report_policy_id'), ['policy_id'], unique=False)

    op.create_table('outbound_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=True),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('last_result', sa.String(length=16), nullable=True),
    sa.Column('assigned_to', sa.String(length=16), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_outbound_task_claim_id_claim')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_outbound_task_customer_id_customer')),
    sa.ForeignKeyConstraint(['policy_id'], ['policy.id'], name=op.f('fk_outbound_task_policy_id_policy')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_task'))
    )
    with op.batch_alter_table('outbound_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbound_task_assigned_to'), ['assigned_to'], unique=False)
        batch_op.create_index('ix_outbound_task_customer_status_due', ['customer_id', 'status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_task_due_at'), ['due_at'], unique=False)

    op.create_table('outbound_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('agent_id', sa.String(length=16), nullable=False),
    sa.Column('linkedid', sa.String(length=64), nullable=True),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('call_back_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['outbound_task.id'], name=op.f('fk_outbound_attempt_task_id_outbound_task'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_attempt'))
    )
    with op.batch_alter_table('outbound_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbound_attempt_task_id'), ['task_id'], unique=False)

    op.create_table('report_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('injury_level', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['claim_report.id'], name=op.f('fk_report_person_report_id_claim_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_person'))
    )
    with op.batch_alter_table('report_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_person_report_id'), ['report_id'], unique=False)

    op.create_table('report_vehicle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('plate', sa.String(length=10), nullable=False),
    sa.Column('vin', sa.String(length=17), nullable=True),
    sa.Column('is_insured_vehicle', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['claim_report.id'], name=op.f('fk_report_vehicle_report_id_claim_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_vehicle'))
    )
    with op.batch_alter_table('report_vehicle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_vehicle_report_id'), ['report_id'], unique=False)

    op.create_table('cooling_off_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=24), nullable=False),
    sa.Column('answer', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['outbound_attempt.id'], name=op.f('fk_cooling_off_answer_attempt_id_outbound_attempt'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooling_off_answer'))
    )
    with op.batch_alter_table('cooling_off_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cooling_off_answer_attempt_id'), ['attempt_id'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('cooling_off_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cooling_off_answer_attempt_id'))

    op.drop_table('cooling_off_answer')
    with op.batch_alter_table('report_vehicle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_vehicle_report_id'))

    op.drop_table('report_vehicle')
    with op.batch_alter_table('report_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_person_report_id'))

    op.drop_table('report_person')
    with op.batch_alter_table('outbound_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbound_attempt_task_id'))

    op.drop_table('outbound_attempt')
    with op.batch_alter_table('outbound_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbound_task_due_at'))
        batch_op.drop_index('ix_outbound_task_customer_status_due')
        batch_op.drop_index(batch_op.f('ix_outbound_task_assigned_to'))

    op.drop_table('outbound_task')
    with op.batch_alter_table('claim_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_report_policy_id'))
        batch_op.drop_index(batch_op.f('ix_claim_report_linkedid'))

    op.drop_table('claim_report')
    with op.batch_alter_table('claim_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_event_claim_id'))

    op.drop_table('claim_event')
    op.drop_table('wrap_up')
    with op.batch_alter_table('vehicle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vehicle_vin'))
        batch_op.drop_index(batch_op.f('ix_vehicle_plate'))

    op.drop_table('vehicle')
    with op.batch_alter_table('transfer_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfer_step_order_id'))

    op.drop_table('transfer_step')
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.drop_index('ix_claim_policy_status')

    op.drop_table('claim')
    with op.batch_alter_table('beneficiary', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_beneficiary_policy_id'))

    op.drop_table('beneficiary')
    with op.batch_alter_table('transfer_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfer_order_raised_by'))
        batch_op.drop_index('ix_transfer_order_customer_status')

    op.drop_table('transfer_order')
    op.drop_table('routing_rule')
    with op.batch_alter_table('policy', schema=None) as batch_op:
        batch_op.drop_index('ix_policy_insured_status')
        batch_op.drop_index('ix_policy_holder_status')

    op.drop_table('policy')
    with op.batch_alter_table('customer_phone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_phone_number'))
        batch_op.drop_index(batch_op.f('ix_customer_phone_customer_id'))

    op.drop_table('customer_phone')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_linkedid'))
        batch_op.drop_index('ix_contact_customer_offered')
        batch_op.drop_index(batch_op.f('ix_contact_agent_id'))

    op.drop_table('contact')
    with op.batch_alter_table('agent_state_span', schema=None) as batch_op:
        batch_op.drop_index('ix_agent_state_span_agent_started')

    op.drop_table('agent_state_span')
    op.drop_table('agent_skill')
    with op.batch_alter_table('agent_sign_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agent_sign_in_agent_id'))

    op.drop_table('agent_sign_in')
    op.drop_table('sla_rule')
    op.drop_table('service_category')
    with op.batch_alter_table('identity_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_failure_linkedid'))
        batch_op.drop_index(batch_op.f('ix_identity_failure_customer_id'))

    op.drop_table('identity_failure')
    with op.batch_alter_table('identity_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_check_customer_id'))

    op.drop_table('identity_check')
    op.drop_table('department')
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_mobile'))
        batch_op.drop_index(batch_op.f('ix_customer_id_number'))

    op.drop_table('customer')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_agent_id'))

    op.drop_table('audit_log')
    op.drop_table('audit_head')
    op.drop_table('agent')
    
