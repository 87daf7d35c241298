"""privacy: consent subject HMAC, consent texts, app secrets, anonymous erased counts,
one live consent per person and version, the renewal question asked once

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("withdrawn_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "consent_texts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("first_shown_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_texts")),
        sa.UniqueConstraint("version", "sha256", name=op.f("uq_consent_texts_version")),
    )
    op.create_table(
        "app_secrets",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_app_secrets")),
    )
    op.create_table(
        "erased_attribute_counts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "school_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("academic_year", sa.String(length=9), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("attribute", sa.String(length=30), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("count", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_erased_attribute_counts_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erased_attribute_counts")),
        sa.UniqueConstraint(
            "school_id",
            "academic_year",
            "role",
            "attribute",
            "value",
            name=op.f("uq_erased_attribute_counts_school_id"),
        ),
    )
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_asked_version", sa.String(length=20)))
    # A double press may already have written two live rows: keep the first of each.
    op.execute(
        "DELETE FROM consents WHERE withdrawn_at IS NULL AND id NOT IN ("
        "SELECT MIN(id) FROM consents WHERE withdrawn_at IS NULL "
        "GROUP BY participant_id, text_version)"
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject_hmac", sa.String(length=64)))
        batch_op.create_index("ix_consents_subject_hmac", ["subject_hmac"], unique=False)
        batch_op.create_index(
            "uq_consents_live_version",
            ["participant_id", "text_version"],
            unique=True,
            postgresql_where=LIVE,
            sqlite_where=LIVE,
        )


def downgrade() -> None:
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index("uq_consents_live_version")
        batch_op.drop_index("ix_consents_subject_hmac")
        batch_op.drop_column("subject_hmac")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_column("consent_asked_version")
    op.drop_table("erased_attribute_counts")
    op.drop_table("app_secrets")
    op.drop_table("consent_texts")
