"""Headless Chromium screenshots of local pages, waiting for a condition in the page first.

Used to make docs/report_<sample>.png and docs/annotated_video.png (see docs/README.md).
``chromium --screenshot`` shoots as soon as the page has loaded, which is before a video has
seeked and played; this drives Chromium over its DevTools pipe instead (``--remote-debugging-pipe``:
JSON messages ending in NUL on file descriptors 3 and 4), so no extra package is needed.

    python tools/screenshot.py PAGE.html OUT.png [--size 1280x2000] [--wait "JS expression"]
        [--query "a=1&b=2"]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--mute-audio",
    "--autoplay-policy=no-user-gesture-required",
    "--remote-debugging-pipe",
]


class Browser:
    """One headless Chromium, spoken to over the DevTools pipe."""

    def __init__(self, width: int, height: int) -> None:
        exe = (
            shutil.which("chromium")
            or shutil.which("chromium-browser")
            or shutil.which("google-chrome")
        )
        if exe is None:
            raise SystemExit("chromium is not installed (apt-get install chromium)")
        self._profile = tempfile.mkdtemp(prefix="fc-chromium-")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def as_fd3_fd4() -> None:
            # Chromium reads commands on fd 3 and writes replies on fd 4. Copy both ends out of
            # the way first: either may itself be 3 or 4.
            r, w = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [
                exe,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={self._profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            pass_fds=(3, 4),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=as_fd3_fd4,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._id = 0
        target = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in target if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)[
            "sessionId"
        ]
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method: str, session: bool = False, **params: object) -> dict:
        self._id += 1
        msg: dict[str, object] = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        while True:
            while b"\0" not in self._buf:
                chunk = os.read(self._from_chrome, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                self._buf += chunk
            raw, self._buf = self._buf.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def evaluate(self, expression: str) -> object:
        r = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True)
        return r.get("result", {}).get("value")

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self._profile, ignore_errors=True)


def screenshot(
    page: Path, out: Path, width: int, height: int, wait: str | None, timeout_s: float,
    query: str = "",
) -> None:
    browser = Browser(width, height)
    try:
        browser.call("Page.enable", session=True)
        browser.call("Page.navigate", session=True, url=page.resolve().as_uri() + (f"?{query}" if query else ""))
        deadline = time.monotonic() + timeout_s
        ready = "document.readyState === 'complete'" + (f" && ({wait})" if wait else "")
        while not browser.evaluate(ready):
            if time.monotonic() > deadline:
                raise SystemExit(f"{page}: the page was not ready in {timeout_s:g} s ({ready})")
            time.sleep(0.2)
        # Let the page paint what it just changed before the capture.
        browser.call("Runtime.evaluate", session=True, awaitPromise=True,
                     expression="new Promise(r => requestAnimationFrame(() => "
                                "requestAnimationFrame(() => setTimeout(r, 300))))")
        png = browser.call("Page.captureScreenshot", session=True, format="png")["data"]
        out.write_bytes(base64.b64decode(png))
    finally:
        browser.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("page", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--size", default="1280x2000", help="window WIDTHxHEIGHT in CSS pixels")
    ap.add_argument(
        "--wait", help="a JavaScript expression to wait for (after the page has loaded)"
    )
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--query", default="", help="a query string for the page (without '?')")
    a = ap.parse_args()
    w, h = (int(x) for x in a.size.lower().split("x"))
    screenshot(a.page, a.out, w, h, a.wait, a.timeout, a.query)
    print(f"{a.out}: {a.out.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
