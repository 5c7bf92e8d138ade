# SPDX-License-Identifier: AGPL-3.0-or-later
"""Distinct sounds for admitted and refused, generated at start-up: no sound files to ship or translate."""

from __future__ import annotations

import math
import struct
import tempfile
import wave
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

_RATE = 22_050


def _tone(path: Path, notes: list[tuple[float, float]], volume: float = 0.5) -> Path:
    """A mono 16-bit WAV of (frequency Hz, seconds) notes, each faded in and out so it does not click."""
    frames = bytearray()
    for frequency, seconds in notes:
        count = int(_RATE * seconds)
        fade = max(1, int(_RATE * 0.01))
        for i in range(count):
            envelope = min(1.0, i / fade, (count - i) / fade)
            sample = volume * envelope * math.sin(2 * math.pi * frequency * i / _RATE)
            frames += struct.pack("<h", int(sample * 32767))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(_RATE)
        out.writeframes(bytes(frames))
    return path


class Sounds(QObject):
    """`play(admitted)`: two rising notes for admitted, a low double buzz for refused.

    QtMultimedia when it loads (it needs an audio backend), else the system beep.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._folder = tempfile.TemporaryDirectory(prefix="boxoffice-sounds-")
        folder = Path(self._folder.name)
        self.files = {
            True: _tone(folder / "admitted.wav", [(880.0, 0.09), (1320.0, 0.14)]),
            False: _tone(folder / "refused.wav", [(220.0, 0.18), (0.0, 0.06), (220.0, 0.25)], 0.6),
        }
        self._effects = self._load_effects()
        self.last_played: bool | None = None

    def _load_effects(self) -> dict[bool, object]:
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:
            return {}
        effects: dict[bool, object] = {}
        for admitted, path in self.files.items():
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effects[admitted] = effect
        return effects

    def play(self, admitted: bool) -> None:
        self.last_played = admitted
        effect = self._effects.get(admitted)
        if effect is not None:
            effect.play()  # type: ignore[attr-defined]
        else:
            QApplication.beep()
