"""Contact lists and their contacts (C1–C7): independent of events, reused by many of them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from boxoffice.model.base import Base, JSONDict, JSONList, Synced

# The fields every contact has; anything else a list holds is a custom field.
STANDARD_FIELDS = ("email", "first_name", "last_name")


class ContactList(Synced, Base):
    __tablename__ = "contact_lists"

    name: Mapped[str] = mapped_column(String(200))
    custom_fields: Mapped[JSONList] = mapped_column(server_default=text("'[]'"))
    archived_at: Mapped[datetime | None]
    description: Mapped[str] = mapped_column(server_default="")


class Contact(Synced, Base):
    """One address in one list. `cl` is its causal length: present while odd, so add/remove/re-add
    on several offline devices converge to the longest history."""

    __tablename__ = "contacts"
    __table_args__ = (
        Index("ix_contacts_list_email", "list_id", func.lower(text("email"))),
        # The contacts table's windows in name order; partial, so it also counts a list's present contacts.
        Index("ix_contacts_list_name", "list_id", func.lower(text("last_name")), func.lower(text("first_name")),
              "id", sqlite_where=text("cl % 2 = 1 AND deleted = 0"),
              postgresql_where=text("cl % 2 = 1 AND NOT deleted")),
    )

    # No index on list_id alone: the (list_id, lower(email)) index serves list lookups too,
    # and one b-tree less makes large imports faster.
    list_id: Mapped[str] = mapped_column(ForeignKey("contact_lists.id"))
    email: Mapped[str] = mapped_column(String(320))
    first_name: Mapped[str] = mapped_column(server_default="")
    last_name: Mapped[str] = mapped_column(server_default="")
    fields: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))
    cl: Mapped[int] = mapped_column(Integer, server_default=text("1"))

    @property
    def present(self) -> bool:
        return self.cl % 2 == 1


class ConsentRecord(Synced, Base):
    """C7: who accepted the consent terms before importing addresses, when, for which file."""

    __tablename__ = "consent_records"

    list_id: Mapped[str] = mapped_column(ForeignKey("contact_lists.id"), index=True)
    accepted_at: Mapped[datetime]
    accepted_by: Mapped[str] = mapped_column(String(200))
    terms_version: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(server_default="")
    rows: Mapped[int] = mapped_column(Integer, server_default=text("0"))


class OptOut(Synced, Base):
    """An address that asked to receive no more invitations from its organizer (RFC 8058 one-click,
    or recorded by the organizer). Kept apart from the lists: it holds for every list of the organizer."""

    __tablename__ = "opt_outs"

    email: Mapped[str] = mapped_column(String(320), index=True)  # lower-cased
    source: Mapped[str] = mapped_column(String(20), server_default="link")  # 'link' or 'organizer'
    # The guest whose link it was, for the organizer's record (no foreign key: guests can be purged).
    guest_id: Mapped[str | None] = mapped_column(String(36))
    opted_out_at: Mapped[datetime]
