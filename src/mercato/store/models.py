"""SQLAlchemy 2 models: articles, entities, claims, outcomes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    date: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(200), index=True)
    author: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    origin: Mapped[str | None] = mapped_column(Text)  # file path (and row) or feed URL it came from
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    extracted_with: Mapped[str | None] = mapped_column(String(40))
    lang: Mapped[str | None] = mapped_column(String(8), index=True)  # ISO 639-1, from the file or detected

    claims: Mapped[list[Claim]] = relationship(back_populates="article", cascade="all, delete-orphan")


class Entity(Base):
    __tablename__ = "entities"
    __table_args__ = (UniqueConstraint("kind", "name", name="uq_entity_kind_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # club, person, journalist, outlet
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    in_kb: Mapped[bool] = mapped_column(Boolean, default=False)


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (
        Index("ix_claims_move", "club", "person", "role"),
        Index("ix_claims_date", "claim_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    club: Mapped[str] = mapped_column(String(200), nullable=False)
    person: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    stage: Mapped[str] = mapped_column(String(20), nullable=False)
    journalist: Mapped[str | None] = mapped_column(String(200), index=True)
    outlet: Mapped[str | None] = mapped_column(String(200), index=True)
    certainty: Mapped[str] = mapped_column(String(20), nullable=False)
    evidence: Mapped[str] = mapped_column(Text, nullable=False)
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)
    claim_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    # the deal as the evidence states it (extract/terms.py; migration 0004)
    fee_amount: Mapped[float | None] = mapped_column(Float)
    fee_currency: Mapped[str | None] = mapped_column(String(3))
    fee_text: Mapped[str | None] = mapped_column(String(120))
    fee_addons: Mapped[bool | None] = mapped_column(Boolean)
    deal_type: Mapped[str | None] = mapped_column(String(12))  # loan | permanent
    buy_clause: Mapped[str | None] = mapped_column(String(12))  # option | obligation

    article: Mapped[Article] = relationship(back_populates="claims")


class Outcome(Base):
    __tablename__ = "outcomes"
    __table_args__ = (UniqueConstraint("club", "person", "role", name="uq_outcome_move"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    club: Mapped[str] = mapped_column(String(200), nullable=False)
    person: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    happened: Mapped[bool | None] = mapped_column(Boolean)
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="confirmed")  # confirmed | pending
    origin: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float | None] = mapped_column(Float)


class Affiliation(Base):
    """A person's club as an article states it, on the article's date ("Tottenham striker Harry Kane")."""

    __tablename__ = "affiliations"
    __table_args__ = (
        UniqueConstraint("article_id", "person", name="uq_affiliation_article_person"),
        Index("ix_affiliations_person_date", "person", "day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    person: Mapped[str] = mapped_column(String(200), nullable=False)
    club: Mapped[str] = mapped_column(String(200), nullable=False)
    day: Mapped[dt.date] = mapped_column(Date, nullable=False)


class SpellRow(Base):
    """A spell learnt while reading: a completed move opens it on its date and closes the person's old one.

    `source` says where it came from ("register:transfers.csv:12", "outcome:7", "claim:345"); `known_on`
    is the day the fact became known (an as-of view uses only spells known on or before its date)."""

    __tablename__ = "spells"
    __table_args__ = (
        UniqueConstraint("person", "club", "start", "source", name="uq_spell"),
        Index("ix_spells_person", "person"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person: Mapped[str] = mapped_column(String(200), nullable=False)
    club: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    start: Mapped[dt.date | None] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(300), nullable=False)
    known_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)


class Follow(Base):
    """A club, person or journalist a user follows: an Atom feed each, and `mercato watch` alerts.
    `seen_claim_id` is the newest claim already alerted on (watch prints only what came after it)."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("kind", "name", name="uq_follow_kind_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # club | person | journalist
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    seen_claim_id: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
