"""The domain as SQLAlchemy 2.0 typed mappings, one module per aggregate; pure, no I/O."""

from boxoffice.model import checkins, contacts, credits, devices, events, invitations, passes, printing, sales, till
from boxoffice.model.base import Base

__all__ = ["Base", "checkins", "contacts", "credits", "devices", "events", "invitations", "passes", "printing", "sales",
           "till"]
