"""one feedback row per user and answer

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # keep each user's latest verdict on an answer; earlier clicks and retried duplicates go
    op.execute(
        sa.text(
            "DELETE FROM query_feedback WHERE id NOT IN "
            "(SELECT max(id) FROM query_feedback GROUP BY query_uid, user_hash) AND user_hash IS NOT NULL"
        )
    )
    with op.batch_alter_table("query_feedback", schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f("uq_query_feedback_query_uid"), ["query_uid", "user_hash"])


def downgrade() -> None:
    with op.batch_alter_table("query_feedback", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_query_feedback_query_uid"), type_="unique")
