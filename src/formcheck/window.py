"""The live window: a display check before anything is shown (``cv2.imshow`` without a display
aborts the process), the OpenCV window itself, and the keys it answers to.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Protocol

import cv2
import numpy as np

from .errors import DisplayError


class Display(Protocol):
    """A window (``Window``) or none; ``poll`` returns a command ("quit", "pause",
    "reset", "next_set") or None."""

    def show(self, image_bgr: np.ndarray) -> None: ...

    def poll(self, wait_ms: int = 1) -> str | None: ...

    def close(self) -> None: ...


class NoWindow:
    """The display of ``--no-window``: shows nothing, no keys."""

    def show(self, image_bgr: np.ndarray) -> None:
        pass

    def poll(self, wait_ms: int = 1) -> str | None:
        return None

    def close(self) -> None:
        pass


# Keys of the live window, and what they ask for.
KEY_COMMANDS = {
    ord("q"): "quit",
    27: "quit",
    ord(" "): "pause",
    ord("r"): "reset",
    ord("n"): "next_set",
}
# How long to wait for an X server to accept a connection before calling it absent.
DISPLAY_CONNECT_TIMEOUT_S = 1.0


def check_display(env: Mapping[str, str] | None = None, platform: str | None = None) -> None:
    """Raise DisplayError unless a window can be shown (checked without opening one).

    ``cv2.imshow`` without a display aborts the whole process (Qt cannot be caught from
    Python), so this must pass before any window is made. On Linux the OpenCV wheel draws
    through X11 only (its Qt has just the xcb plugin), so ``DISPLAY`` must name an X server
    (X.Org, Xvfb or XWayland) that answers. Other platforms always have a display.
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return
    display = env.get("DISPLAY", "")
    hint = "run with --no-window, or start it from a desktop session"
    if not display:
        if env.get("WAYLAND_DISPLAY"):
            raise DisplayError(
                "this OpenCV draws windows through X11 and DISPLAY is not set (a Wayland "
                f"session without XWayland); {hint}"
            )
        raise DisplayError(f"no display to show the window on (DISPLAY is not set); {hint}")
    if not _x_server_answers(display):
        raise DisplayError(f"the display {display!r} does not answer; {hint}")


def _x_server_answers(display: str) -> bool:
    """Whether the X server named by a DISPLAY value (``[host]:N[.S]``) accepts a connection."""
    import socket

    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return False
    n = int(number)
    if host in ("", "unix") or host.startswith("/"):
        for address in (f"/tmp/.X11-unix/X{n}", f"\0/tmp/.X11-unix/X{n}"):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(DISPLAY_CONNECT_TIMEOUT_S)
                try:
                    sock.connect(address)
                    return True
                except OSError:
                    continue
        return False
    try:
        with socket.create_connection((host, 6000 + n), timeout=DISPLAY_CONNECT_TIMEOUT_S):
            return True
    except OSError:
        return False


class Window:
    """An OpenCV window that shows frames and reports keys as commands.

    Checks the display when made (raises DisplayError), so ``cv2.imshow`` is never reached
    without one. ``poll`` returns "quit" (q, Esc, or the window closed), "pause" (space),
    "reset" (r), "next_set" (n) or None.
    """

    def __init__(self, title: str = "formcheck") -> None:
        check_display()
        self.title = title
        self._shown = False

    def show(self, image_bgr: np.ndarray) -> None:
        if not self._shown:
            h, w = image_bgr.shape[:2]
            cv2.namedWindow(
                self.title, cv2.WINDOW_NORMAL | cv2.WINDOW_KEEPRATIO | cv2.WINDOW_GUI_NORMAL
            )
            cv2.resizeWindow(self.title, w, h)
            self._shown = True
        cv2.imshow(self.title, image_bgr)

    def poll(self, wait_ms: int = 1) -> str | None:
        """Let the window draw and read a key for up to ``wait_ms`` ms."""
        if not self._shown:
            return None
        key = cv2.waitKey(max(1, wait_ms))
        if key != -1:
            command = KEY_COMMANDS.get(key & 0xFF)
            if command is not None:
                return command
        if cv2.getWindowProperty(self.title, cv2.WND_PROP_VISIBLE) < 1:
            return "quit"  # closed with the window's own button
        return None

    def close(self) -> None:
        if self._shown:
            cv2.destroyWindow(self.title)
            cv2.waitKey(1)  # lets the window system process the close
            self._shown = False

    def __enter__(self) -> Window:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
