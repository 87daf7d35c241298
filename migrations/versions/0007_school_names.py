"""school names: the full name from a registry, and the compared name (name_key) of
schools and municipalities, unique, so an import can never create one twice

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.names import name_key

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fill_keys(table: str, scope: str | None) -> None:
    """Every row's key; rows that already collide (typed twice before this revision)
    keep a key of their own («…#id»), so the unique constraint can be built and the
    first of them is the one imports find."""
    conn = op.get_bind()
    columns = f"id, name{', ' + scope if scope else ''}"
    seen: set[tuple[object, str]] = set()
    for row in conn.execute(sa.text(f"SELECT {columns} FROM {table} ORDER BY id")):
        key = name_key(row.name)
        place = (getattr(row, scope) if scope else None, key)
        if place in seen:
            key = f"{key}#{row.id}"
        seen.add(place)
        conn.execute(
            sa.text(f"UPDATE {table} SET name_key = :key WHERE id = :id"),
            {"key": key, "id": row.id},
        )


def upgrade() -> None:
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(length=200), nullable=True))
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("full_name", sa.String(length=1000), nullable=True))
    _fill_keys("municipalities", None)
    _fill_keys("schools", "municipality_id")
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.alter_column("name_key", existing_type=sa.String(length=200), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_municipalities_name_key"), ["name_key"])
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.alter_column("name_key", existing_type=sa.String(length=300), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_schools_municipality_id"), ["municipality_id", "name_key"]
        )


def downgrade() -> None:
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_schools_municipality_id"), type_="unique")
        batch_op.drop_column("full_name")
        batch_op.drop_column("name_key")
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_municipalities_name_key"), type_="unique")
        batch_op.drop_column("name_key")
