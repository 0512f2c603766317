"""sound.py: the rep tone and spoken cues, through whatever player is installed."""

from __future__ import annotations

from formcheck.sound import Sound, _write_tone


def test_sound_says_once_why_it_is_silent():
    silent = Sound(enabled=True, which=lambda name: None)
    assert len(silent.notes) == 2 and "espeak-ng" in silent.notes[1]
    silent.beep()
    silent.say("hello")  # nothing to run: no error
    assert Sound(enabled=False).notes == []


def test_sound_plays_through_what_is_installed(tmp_path):
    calls = []

    class Recorder(Sound):
        def _spawn(self, cmd):  # type: ignore[override]
            calls.append(cmd)
            return None

    s = Recorder(
        enabled=True,
        which=lambda name: f"/usr/bin/{name}" if name in ("aplay", "espeak-ng") else None,
    )
    assert s.notes == []
    s.beep()
    s.say("Slow down")
    assert calls[0][0] == "aplay" and calls[0][-1].endswith(".wav")
    assert calls[1][0] == "espeak-ng" and calls[1][-1] == "Slow down"
    s.close()


def test_tone_is_a_valid_wav(tmp_path):
    import wave

    path = tmp_path / "t.wav"
    _write_tone(path, 880.0, 0.1)
    with wave.open(str(path)) as w:
        assert w.getnchannels() == 1 and w.getframerate() == 22050 and w.getnframes() == 2205
