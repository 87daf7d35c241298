"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The deficit catalogue as first published (shared/domain/instruments.md). Frozen here:
# later changes to the catalogue are data edits or revisions of their own.
CATALOGUE = [
    ("docs_programme", "Нормативно-правовые и документация", "Рабочая программа и КТП"),
    ("docs_fgos", "Нормативно-правовые и документация", "ФГОС и ФОП"),
    ("docs_journal", "Нормативно-правовые и документация", "Электронный журнал и отчёты"),
    ("subj_content", "Предметные", "Содержание предмета"),
    ("subj_exams", "Предметные", "Подготовка к ОГЭ, ЕГЭ, ВПР"),
    ("meth_goals", "Методические", "Цели и структура урока"),
    ("meth_methods", "Методические", "Выбор методов и приёмов"),
    ("meth_diff", "Методические", "Дифференциация обучения"),
    ("meth_assess", "Методические", "Оценивание"),
    ("meth_literacy", "Методические", "Функциональная грамотность"),
    ("psy_discipline", "Психолого-педагогические", "Дисциплина на уроке"),
    ("psy_motivation", "Психолого-педагогические", "Мотивация учеников"),
    ("psy_special", "Психолого-педагогические", "Дети с ОВЗ"),
    ("psy_individual", "Психолого-педагогические", "Индивидуальные особенности учеников"),
    ("comm_parents", "Коммуникативные", "Работа с родителями"),
    ("comm_colleagues", "Коммуникативные", "Общение с коллегами и администрацией"),
    ("comm_conflicts", "Коммуникативные", "Разрешение конфликтов"),
    ("edu_class", "Воспитательная работа", "Классное руководство"),
    ("edu_events", "Воспитательная работа", "Воспитательные мероприятия"),
    ("org_load", "Организационные", "Нагрузка и тайм-менеджмент"),
    ("ict_resources", "Цифровые навыки (ИКТ)", "Цифровые образовательные ресурсы"),
    ("ict_platforms", "Цифровые навыки (ИКТ)", "Образовательные платформы"),
    ("pers_stress", "Личностные", "Стресс и профессиональное выгорание"),
    ("pers_confidence", "Личностные", "Уверенность в себе"),
    ("pers_adaptation", "Личностные", "Адаптация в коллективе"),
]


def upgrade() -> None:
    op.create_table(
        "catalogue_items",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("group_title", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "sort_order", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_items")),
        sa.UniqueConstraint("code", name=op.f("uq_catalogue_items_code")),
    )
    op.create_table(
        "municipalities",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipalities")),
        sa.UniqueConstraint("name", name=op.f("uq_municipalities_name")),
    )
    op.create_table(
        "schools",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "municipality_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_schools_municipality_id_municipalities"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schools")),
    )
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_schools_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "participants",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "telegram_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("full_name", sa.String(length=150), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "registering",
                "pending",
                "active",
                "declined",
                "left",
                name="participant_status",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("school_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("position", sa.String(length=150), nullable=True),
        sa.Column("subject", sa.String(length=150), nullable=True),
        sa.Column(
            "experience_years", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "age_group",
            sa.Enum("under_35", "from_35", name="age_group", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column(
            "category",
            sa.Enum(
                "none",
                "conformity",
                "first",
                "highest",
                "methodist",
                "mentor_teacher",
                name="qualification_category",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column(
            "requested_role",
            sa.Enum(
                "mentee",
                "mentor",
                "curator",
                "coordinator",
                name="requested_role",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("blocked_bot", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_participants_school_id_schools"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
    )
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participants_school_id"), ["school_id"], unique=False)
        batch_op.create_index("uq_participants_telegram_id", ["telegram_id"], unique=True)

    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=True),
        sa.Column("object_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["participants.id"],
            name=op.f("fk_audit_events_actor_id_participants"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_actor_id"), ["actor_id"], unique=False)

    op.create_table(
        "catalogue_marks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "participant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "kind",
            sa.Enum("deficit", "competency", name="catalogue_kind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("item_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["catalogue_items.id"],
            name=op.f("fk_catalogue_marks_item_id_catalogue_items"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_catalogue_marks_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_marks")),
        sa.UniqueConstraint(
            "participant_id", "kind", "item_id", name=op.f("uq_catalogue_marks_participant_id")
        ),
    )
    with op.batch_alter_table("catalogue_marks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalogue_marks_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "consents",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "participant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "telegram_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("text_version", sa.String(length=20), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_consents_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consents_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "invites",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "mentee",
                "mentor",
                "curator",
                "coordinator",
                name="invite_role",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("school_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "municipality_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "created_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("max_uses", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("uses", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("revoked", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["participants.id"],
            name=op.f("fk_invites_created_by_id_participants"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_invites_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_invites_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invites")),
        sa.UniqueConstraint("code", name=op.f("uq_invites_code")),
    )
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invites_school_id"), ["school_id"], unique=False)

    op.create_table(
        "mentee_profiles",
        sa.Column(
            "participant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("request_text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_mentee_profiles_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participant_id", name=op.f("pk_mentee_profiles")),
    )
    op.create_table(
        "mentor_profiles",
        sa.Column(
            "participant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("capacity", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_mentor_profiles_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participant_id", name=op.f("pk_mentor_profiles")),
    )
    op.create_table(
        "role_grants",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "participant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "role",
            sa.Enum(
                "mentee",
                "mentor",
                "curator",
                "coordinator",
                name="role",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("school_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "municipality_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "granted_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_role_grants_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_role_grants_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_role_grants_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_grants")),
        sa.UniqueConstraint(
            "participant_id",
            "role",
            "school_id",
            "municipality_id",
            name=op.f("uq_role_grants_participant_id"),
        ),
    )
    with op.batch_alter_table("role_grants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_role_grants_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_role_grants_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_role_grants_school_id"), ["school_id"], unique=False)

    catalogue = sa.table(
        "catalogue_items",
        sa.column("code", sa.String),
        sa.column("group_title", sa.String),
        sa.column("title", sa.String),
        sa.column("sort_order", sa.Integer),
        sa.column("active", sa.Boolean),
    )
    op.bulk_insert(
        catalogue,
        [
            {"code": c, "group_title": g, "title": t, "sort_order": i * 10, "active": True}
            for i, (c, g, t) in enumerate(CATALOGUE, start=1)
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("role_grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_grants_school_id"))
        batch_op.drop_index(batch_op.f("ix_role_grants_participant_id"))
        batch_op.drop_index(batch_op.f("ix_role_grants_municipality_id"))

    op.drop_table("role_grants")
    op.drop_table("mentor_profiles")
    op.drop_table("mentee_profiles")
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invites_school_id"))

    op.drop_table("invites")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consents_participant_id"))

    op.drop_table("consents")
    with op.batch_alter_table("catalogue_marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalogue_marks_participant_id"))

    op.drop_table("catalogue_marks")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_actor_id"))

    op.drop_table("audit_events")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index("uq_participants_telegram_id")
        batch_op.drop_index(batch_op.f("ix_participants_school_id"))

    op.drop_table("participants")
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schools_municipality_id"))

    op.drop_table("schools")
    op.drop_table("municipalities")
    op.drop_table("catalogue_items")
