"""What privacy needs beyond the people's own rows: the consent texts as shown, the
application's own secrets, and the anonymous counts left behind by erasure."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class ConsentText(Base):
    """A consent text exactly as shown, stored the first time a consent to it is recorded,
    so a record's version and hash can be matched to the words the person agreed to."""

    __tablename__ = "consent_texts"
    __table_args__ = (UniqueConstraint("version", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    first_shown_at: Mapped[dt.datetime]


class AppSecret(Base):
    """Secrets the application generates for itself when the operator configured none
    (the consent HMAC key), so one command on SQLite still works."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime]


class ErasedAttributeCount(Base):
    """Anonymous counts of the attributes erasure removes from a person's row.

    Experience, qualification category, age group and ticked deficits/competencies can
    single a person out in a small school, so erasure drops them from the row and adds
    one here instead: per school, academic year (of registration), teacher role,
    attribute («experience_years», «category», «age_group», «deficit», «competency»)
    and value (the number, the enum value, the catalogue item's code). Indicators add
    these counts to what they count on live rows; nothing here points at a person.
    """

    __tablename__ = "erased_attribute_counts"
    __table_args__ = (UniqueConstraint("school_id", "academic_year", "role", "attribute", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    academic_year: Mapped[str] = mapped_column(String(9))
    role: Mapped[str] = mapped_column(String(20))
    attribute: Mapped[str] = mapped_column(String(30))
    value: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(default=0)
