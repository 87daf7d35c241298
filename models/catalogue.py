from __future__ import annotations

from sqlalchemy import Boolean, String, true
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class CatalogueItem(Base):
    """One professional deficit / competency of the catalogue («Мои дефициты»).

    Rows, not constants: municipalities adjust the list, and old answers keep pointing
    at retired items (``active`` false) instead of losing them.
    """

    __tablename__ = "catalogue_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    group_title: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(Boolean, server_default=true(), default=True)
