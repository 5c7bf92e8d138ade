"""UI fixtures: a main window on a real migrated store with the demo venue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from boxoffice import settings
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services.demo import create_demo
from boxoffice.store.engine import Store

SCREENSHOTS = Path(__file__).resolve().parents[3] / "build" / "screenshots"


@pytest.fixture
def demo_writer(writer: Writer) -> Writer:
    with writer.transaction() as work:
        create_demo(work, tickets=200, contact_count=200)
    return writer


@pytest.fixture
def window(qtbot, store: Store, demo_writer: Writer, data_dir: Path) -> Iterator[object]:
    from boxoffice.app import build_window
    from boxoffice.ui import ops

    main = build_window(store, demo_writer, data_dir, settings.Settings())
    qtbot.addWidget(main)
    yield main
    ops.wait_for_idle()


def screenshot(widget: object, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    assert widget.grab().save(str(path))  # type: ignore[attr-defined]
    return path
