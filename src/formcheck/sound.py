"""Sound for live coaching: a short tone per counted rep and spoken cues, through whatever
player is installed (``paplay``/``aplay``, ``espeak-ng``/``espeak``/``spd-say``); quiet, and
saying why once, when none is.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np

TONE_HZ = 880.0
TONE_S = 0.12
SPEECH_ENGINES = (
    ("espeak-ng", ["espeak-ng", "-s", "165"]),
    ("espeak", ["espeak", "-s", "165"]),
    ("spd-say", ["spd-say", "--wait"]),
)
TONE_PLAYERS = (("paplay", ["paplay"]), ("aplay", ["aplay", "-q"]))


class Sound:
    """A short tone per counted rep and spoken cues, through whatever players are installed.

    Looks once for a WAV player (paplay, aplay) and a speech engine (espeak-ng, espeak,
    spd-say); ``notes`` says in words what is missing. Sounds are started with Popen and
    never waited for, so the loop never blocks; a new utterance replaces one still speaking.
    """

    def __init__(
        self, enabled: bool = True, which: Callable[[str], str | None] = shutil.which
    ) -> None:
        self.notes: list[str] = []
        self._player: list[str] | None = None
        self._speech: list[str] | None = None
        self._speaking: subprocess.Popen[bytes] | None = None
        self._children: list[subprocess.Popen[bytes]] = []
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._tone: Path | None = None
        if not enabled:
            return
        self._player = next((cmd for name, cmd in TONE_PLAYERS if which(name)), None)
        self._speech = next((cmd for name, cmd in SPEECH_ENGINES if which(name)), None)
        if self._player is None:
            self.notes.append("no rep tone: neither paplay nor aplay is installed")
        if self._speech is None:
            self.notes.append(
                "no spoken cues: no speech engine is installed (espeak-ng, espeak or "
                "spd-say); cues are shown only"
            )

    def beep(self) -> None:
        if self._player is None:
            return
        if self._tone is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="formcheck-")
            self._tone = Path(self._tmp.name) / "rep.wav"
            _write_tone(self._tone, TONE_HZ, TONE_S)
        self._spawn([*self._player, str(self._tone)])

    def say(self, text: str) -> None:
        if self._speech is None or not text:
            return
        if self._speaking is not None and self._speaking.poll() is None:
            self._speaking.terminate()
        self._speaking = self._spawn([*self._speech, text])

    def _spawn(self, cmd: list[str]) -> subprocess.Popen[bytes] | None:
        self._children = [c for c in self._children if c.poll() is None]
        try:
            child = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        except OSError as exc:  # the player vanished or cannot run: stop trying, say why once
            self.notes.append(f"sound turned off: {cmd[0]} could not run ({exc.strerror or exc})")
            self._player = self._speech = None
            return None
        self._children.append(child)
        return child

    def close(self) -> None:
        """Reap finished players; ones still playing finish on their own (the tone file
        they hold open outlives its deletion)."""
        self._children = [c for c in self._children if c.poll() is None]
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = self._tone = None


def _write_tone(path: Path, hz: float, seconds: float, rate: int = 22050) -> None:
    t = np.arange(int(rate * seconds)) / rate
    fade = np.minimum(1.0, np.minimum(t, seconds - t) / 0.01)  # no clicks at the ends
    samples = (0.4 * 32767 * np.sin(2 * np.pi * hz * t) * fade).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
