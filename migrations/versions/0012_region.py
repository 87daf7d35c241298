"""the region level: regions, municipalities.region_id, role_grants.region_id (the
regional coordinator's scope)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "regions",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regions")),
        sa.UniqueConstraint("name", name=op.f("uq_regions_name")),
    )
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("region_id", ID, nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_municipalities_region_id_regions"),
            "regions",
            ["region_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            batch_op.f("ix_municipalities_region_id"), ["region_id"], unique=False
        )
    with op.batch_alter_table("role_grants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("region_id", ID, nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_role_grants_region_id_regions"),
            "regions",
            ["region_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(batch_op.f("ix_role_grants_region_id"), ["region_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("role_grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_grants_region_id"))
        batch_op.drop_constraint(batch_op.f("fk_role_grants_region_id_regions"), type_="foreignkey")
        batch_op.drop_column("region_id")
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_municipalities_region_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_municipalities_region_id_regions"), type_="foreignkey"
        )
        batch_op.drop_column("region_id")
    op.drop_table("regions")
