from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint, func
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from models.base import Base
from models.names import name_key


def _key_of_name(context: DefaultExecutionContext) -> str:
    # For inserts that bypass the ORM; ORM objects keep the key through @validates.
    return name_key(context.get_current_parameters()["name"])  # type: ignore[no-untyped-call]


class Region(Base):
    """A region (субъект РФ): its municipalities roll up into the regional monitoring,
    watched by regional coordinators (a RoleGrant with region_id)."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class Municipality(Base):
    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # The name as compared (models.names.name_key): «ГО Серпухов» and «го  серпухов»
    # are one municipality, so an import can never create it twice.
    name_key: Mapped[str] = mapped_column(String(200), unique=True, default=_key_of_name)
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    # None: not attached to a region yet (python -m bot region attach).
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id", ondelete="SET NULL"), index=True
    )

    schools: Mapped[list[School]] = relationship(back_populates="municipality")

    @validates("name")
    def _keep_key(self, _: str, value: str) -> str:
        self.name_key = name_key(value)
        return value


class School(Base):
    __tablename__ = "schools"
    # One school per compared name in a municipality, whoever creates it.
    __table_args__ = (UniqueConstraint("municipality_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))  # the short name, shown everywhere
    name_key: Mapped[str] = mapped_column(String(300), default=_key_of_name)
    # The official full name from the registry, when a file gives one.
    full_name: Mapped[str | None] = mapped_column(String(1000))
    timezone: Mapped[str] = mapped_column(String(64))  # IANA, e.g. Asia/Yekaterinburg
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    municipality: Mapped[Municipality] = relationship(back_populates="schools")

    @validates("name")
    def _keep_key(self, _: str, value: str) -> str:
        self.name_key = name_key(value)
        return value
