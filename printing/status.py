"""Printer and job states shared by the CUPS and Windows spooler backends."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

# printer-state-reasons meaning the hopper is out of cards; a suffix (-error, -warning) may follow.
_OUT_OF_MEDIA = ("media-empty", "media-needed", "input-tray-missing")


class PrinterState(Enum):
    """What a technician sees: idle, printing, or stopped (paused, refusing jobs or in error)."""

    IDLE = "idle"
    PRINTING = "printing"
    STOPPED = "stopped"


@dataclass(frozen=True)
class PrinterStatus:
    """One print queue as CUPS reports it."""

    name: str
    state: PrinterState
    message: str
    reasons: tuple[str, ...]
    queued_jobs: int
    accepting_jobs: bool
    description: str = ""
    location: str = ""
    make_and_model: str = ""
    device_uri: str = ""

    @property
    def out_of_cards(self) -> bool:
        return any(reason.startswith(_OUT_OF_MEDIA) for reason in self.reasons)


@dataclass(frozen=True)
class JobOutcome:
    """How a finished job ended; only "completed" is returned, failures are raised."""

    job_id: int
    printer: str
    state: str
    message: str
    seconds: float
