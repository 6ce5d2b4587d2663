"""review queue: groups of logged questions, daily aggregates kept past retention, the installation's salt

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("topic_slug", sa.String(length=300), nullable=True),
        sa.Column("dismiss_reason", sa.String(length=20), nullable=True),
        sa.Column("dismiss_note", sa.String(length=300), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_groups")),
    )
    with op.batch_alter_table("review_groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_groups_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_groups_state"), ["state"], unique=False)

    op.create_table(
        "daily_stats",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("asked", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("unanswered", sa.Integer(), nullable=False),
        sa.Column("weak", sa.Integer(), nullable=False),
        sa.Column("disputed", sa.Integer(), nullable=False),
        sa.Column("helpful", sa.Integer(), nullable=False),
        sa.Column("not_helpful", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "guild_id", name=op.f("pk_daily_stats")),
    )

    op.create_table(
        "installation",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_installation")),
    )

    with op.batch_alter_table("query_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_kind", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("review_group_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_query_log_review_kind"), ["review_kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_query_log_review_group_id"), ["review_group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_query_log_user_hash"), ["user_hash"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_query_log_review_group_id_review_groups"),
            "review_groups",
            ["review_group_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("query_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_query_feedback_user_hash"), ["user_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("query_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_query_feedback_user_hash"))

    with op.batch_alter_table("query_log", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_query_log_review_group_id_review_groups"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_query_log_user_hash"))
        batch_op.drop_index(batch_op.f("ix_query_log_review_group_id"))
        batch_op.drop_index(batch_op.f("ix_query_log_review_kind"))
        batch_op.drop_column("review_group_id")
        batch_op.drop_column("review_kind")

    op.drop_table("installation")
    op.drop_table("daily_stats")
    with op.batch_alter_table("review_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_groups_state"))
        batch_op.drop_index(batch_op.f("ix_review_groups_kind"))
    op.drop_table("review_groups")
