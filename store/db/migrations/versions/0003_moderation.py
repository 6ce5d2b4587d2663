"""moderation: versions on topics, retire and merge, superseding statements, speaker profiles, moderator role

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("topics", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("updated_by", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("retired_reason", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_topics_merged_into_id_topics"), "topics", ["merged_into_id"], ["id"], ondelete="SET NULL"
        )

    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("supersedes_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("speaker_role", sa.String(length=300), nullable=True))
        batch_op.create_index(batch_op.f("ix_statements_supersedes_id"), ["supersedes_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_statements_supersedes_id_statements"),
            "statements",
            ["supersedes_id"],
            ["id"],
            ondelete="SET NULL",
        )

    op.create_table(
        "speaker_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("role", sa.String(length=300), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=300), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker_profiles")),
        sa.UniqueConstraint("name_key", name=op.f("uq_speaker_profiles_name_key")),
    )

    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moderator_role_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.drop_column("moderator_role_id")

    op.drop_table("speaker_profiles")

    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_statements_supersedes_id_statements"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_statements_supersedes_id"))
        batch_op.drop_column("speaker_role")
        batch_op.drop_column("supersedes_id")

    with op.batch_alter_table("topics", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_topics_merged_into_id_topics"), type_="foreignkey")
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("retired_reason")
        batch_op.drop_column("updated_by")
        batch_op.drop_column("version")
