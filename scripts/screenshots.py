"""Render the app's pages offscreen at 1366x768 in each language and scheme into docs/screenshots/ (`make screenshots`).

    python scripts/screenshots.py                      # en, fr, de, light and dark, into docs/screenshots/
    python scripts/screenshots.py --schemes dark --languages de --check
    python scripts/screenshots.py --languages fr --only desk,welcome --out /tmp/shots
    python scripts/screenshots.py --languages en,fr,de,it,es --check   # also fail on anything cut off
    python scripts/screenshots.py --scale 1.25 --check --schemes light   # the same screen at 125 % scaling

Each language runs in a child process of its own (page titles are translated when their modules load),
on a throw-away data directory: an empty one for the welcome shots, one with the demo venue for the
rest. The pages and how each is brought into view are listed in scripts/screenshot_pages.py. A page is
brought into view once and grabbed in each scheme (light as `desk-fr.png`, dark as `desk-fr-dark.png`):
the theme switches live, so the dark pictures cost a repaint, not a second store.

With `--scale 1.25` (Windows' "125 %", QT_SCALE_FACTOR) the 1366x768 screen holds 1093x614 device-independent
pixels: the window is sized and checked at that, and the pictures (still 1366x768) are named `desk-fr-125.png`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1366, 768)
LANGUAGES = ("en", "fr", "de")
SCHEMES = ("light", "dark")


def picture_name(shot: str, language: str, scheme: str, scale: float = 1.0) -> str:
    scaled = "" if scale == 1 else f"-{round(scale * 100)}"
    return f"{shot}-{language}{scaled}.png" if scheme == "light" else f"{shot}-{language}{scaled}-{scheme}.png"


def screen(scale: float) -> tuple[int, int]:
    """The 1366x768 screen in the device-independent pixels that widgets are laid out in at `scale`."""
    return round(SIZE[0] / scale), round(SIZE[1] / scale)


class Scene:
    """The main window on one store, shown at 1366x768; see screenshot_pages.Scene."""

    def __init__(self, data_dir: Path, demo: bool, size: tuple[int, int] = SIZE) -> None:
        from boxoffice import settings
        from boxoffice.app import build_window
        from boxoffice.mutations.unit_of_work import Writer
        from boxoffice.services.demo import create_demo
        from boxoffice.store.engine import open_store

        self.store = open_store(data_dir)
        self._writer = Writer(self.store)
        if demo:
            with self._writer.transaction() as work:
                create_demo(work, tickets=400, contact_count=120)
        window: Any = build_window(self.store, self._writer, data_dir, settings.Settings())
        self.window = window
        self.window.resize(*size)
        self.window.show()
        self.settle()

    def writer(self) -> Any:
        return self._writer

    def page(self, kind: str) -> Any:
        pages = self.window.pages
        page = next(pages.widget(i) for i in range(pages.count()) if type(pages.widget(i)).__name__ == kind)
        self.window.show_page(page.title)
        self.settle()
        return page

    def settle(self, timeout: float = 20.0) -> None:
        """Process events until no op has been in flight for a few rounds (results painted)."""
        from PySide6.QtWidgets import QApplication

        from boxoffice.ui import ops

        quiet, deadline = 0, time.monotonic() + timeout
        while quiet < 5 and time.monotonic() < deadline:
            QApplication.processEvents()
            ops.wait_for_idle(200)
            QApplication.processEvents()
            quiet = quiet + 1 if ops.in_flight() == 0 else 0
            time.sleep(0.02)

    def close(self) -> None:
        from boxoffice.ui import ops

        self.window.close()
        ops.wait_for_idle()
        self.settle(2)
        self.window.deleteLater()
        self.store.close()


def _render(language: str, schemes: list[str], out: Path, only: set[str], check: bool,
            scale: float = 1.0) -> list[Path]:
    from boxoffice import i18n

    if scale != 1:
        os.environ["QT_SCALE_FACTOR"] = str(scale)  # read when the application is made, below

    i18n.set_language(language)  # before any page module is imported: their titles are read at import
    from PySide6.QtCore import QLibraryInfo, QTranslator
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    translator = QTranslator(app)
    if translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
    from boxoffice.ui import theme

    look = theme.install(schemes[0])  # type: ignore[arg-type]
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from screenshot_fit import cut_off
    from screenshot_pages import SHOTS

    written: list[Path] = []
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="boxoffice-shots-") as tmp:
        for store in ("fresh", "demo"):
            shots = [s for s in SHOTS if s.store == store and (not only or s.name in only)]
            if not shots:
                continue
            scene = Scene(Path(tmp) / store, demo=store == "demo", size=screen(scale))
            for shot in shots:
                target = shot.prepare(scene)
                for scheme in schemes:
                    look.set_preference(scheme)  # type: ignore[arg-type]
                    scene.settle()
                    path = out / picture_name(shot.name, language, scheme, scale)
                    if check and target is None:  # dialogs are sized by Qt to their content; pages must fit
                        problems.extend(f"{path.name}: {problem}"
                                        for problem in cut_off(scene.window, screen(scale)))
                    if not (target or scene.window).grab().save(str(path)):
                        raise OSError(f"{path}: the picture could not be written")
                    written.append(path)
                if target is not None:
                    target.close()
                look.set_preference(schemes[0])  # type: ignore[arg-type]
            scene.close()
    if problems:
        raise CutOff(problems)
    return written


class CutOff(Exception):
    """Pages that do not fit the screen, one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    parser.add_argument("--schemes", default=",".join(SCHEMES), help="comma-separated: light, dark")
    parser.add_argument("--only", default="", help="comma-separated shot names (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--check", action="store_true", help="fail on a page that does not fit the screen")
    parser.add_argument("--scale", type=float, default=1.0, help="the screen's scaling, e.g. 1.25 for 125 %%")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child process for one language
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    only = {name for name in args.only.split(",") if name}
    schemes = [scheme for scheme in args.schemes.split(",") if scheme]
    if not schemes or any(scheme not in SCHEMES for scheme in schemes):
        parser.error(f"--schemes takes {', '.join(SCHEMES)}, not {args.schemes!r}")
    if args.one:
        try:
            written = _render(args.one, schemes, args.out, only, args.check, args.scale)
        except CutOff as cut:
            print(f"cut off in {args.one}:\n{cut}", file=sys.stderr)
            return 1
        for path in written:
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        return 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BOXOFFICE_CONFIG_DIR": tempfile.mkdtemp()}
    for language in args.languages.split(","):
        command = [sys.executable, __file__, "--one", language, "--out", str(args.out), "--only", args.only,
                   "--schemes", ",".join(schemes), "--scale", str(args.scale), *(["--check"] if args.check else [])]
        if subprocess.run(command, env=env, cwd=ROOT).returncode:
            print(f"screenshots in {language} failed", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
