"""A minimal W3C WebDriver client (standard library only) for the real app
under tauri-driver: sessions, elements, keys, scripts and screenshots, and
waits on conditions (never fixed sleeps). Used by test_app.py and by the
app benchmark (bench/app)."""

from __future__ import annotations

import base64
import http.client
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

TRANSPORT_ATTEMPTS = 3
ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"


class WebDriverError(Exception):
    pass


class Session:
    """A minimal W3C WebDriver session over HTTP."""

    def __init__(self, driver: str, app: str, args: list[str] | None = None):
        self.driver = driver.rstrip("/")
        options: dict = {"application": app}
        if args:
            options["args"] = args
        caps = {"browserName": "wry", "tauri:options": options}
        value = self._call(
            "POST",
            "/session",
            {"capabilities": {"alwaysMatch": caps}, "desiredCapabilities": caps},
            timeout=60,
        )
        self.id = value["sessionId"]

    def _call(self, method: str, path: str, body: dict | None = None, timeout: float = 30):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.driver + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        for attempt in range(1, TRANSPORT_ATTEMPTS + 1):
            try:
                with urllib.request.urlopen(req, timeout=timeout) as resp:
                    payload = json.loads(resp.read() or b"{}")
                return payload.get("value")
            except urllib.error.HTTPError as e:
                raise WebDriverError(f"{method} {path}: HTTP {e.code}: {e.read()[:500]!r}") from None
            except (ConnectionResetError, http.client.RemoteDisconnected) as e:
                # tauri-driver reuses a pooled connection to WebKitWebDriver that
                # the latter already closed when idle; the request never reached
                # it ("connection error ... SendRequest" in the driver log), so
                # sending it again is safe.
                if attempt == TRANSPORT_ATTEMPTS:
                    raise WebDriverError(f"{method} {path}: {e!r} after {attempt} attempts") from None
                print(f"  (retrying {method} {path} after {e!r})", file=sys.stderr)
                time.sleep(0.2)
        raise AssertionError("unreachable")

    def cmd(self, method: str, path: str, body: dict | None = None):
        return self._call(method, f"/session/{self.id}{path}", body)

    def find(self, css: str) -> str:
        value = self.cmd("POST", "/element", {"using": "css selector", "value": css})
        return value[ELEMENT_KEY]

    def text(self, css: str) -> str:
        return self.cmd("GET", f"/element/{self.find(css)}/text")

    def displayed(self, css: str) -> bool:
        return bool(self.cmd("GET", f"/element/{self.find(css)}/displayed"))

    def click(self, css: str) -> None:
        self.cmd("POST", f"/element/{self.find(css)}/click", {})

    def js_click(self, css: str) -> None:
        """Clicks through the DOM (for controls a sticky bar may cover)."""
        self.script("document.querySelector(arguments[0]).click();", css)

    def attr(self, css: str, name: str) -> str | None:
        return self.cmd("GET", f"/element/{self.find(css)}/attribute/{name}")

    def exists(self, css: str) -> bool:
        return bool(self.cmd("POST", "/elements", {"using": "css selector", "value": css}))

    def type(self, css: str, text: str, clear: bool = True) -> None:
        """Types into a field (after clearing it)."""
        el = self.find(css)
        # A sticky bar may cover a field below the fold: bring it to the middle.
        self.script("arguments[0].scrollIntoView({block: 'center'});", {ELEMENT_KEY: el})
        if clear:
            self.cmd("POST", f"/element/{el}/clear", {})
        self.cmd("POST", f"/element/{el}/value", {"text": text})

    def keys(self, text: str) -> None:
        """Types on the keyboard into whatever has the focus, key by key and
        without pauses, as a USB keyboard-wedge scanner does."""
        actions = []
        for ch in text:
            actions.append({"type": "keyDown", "value": ch})
            actions.append({"type": "keyUp", "value": ch})
        self.cmd("POST", "/actions", {"actions": [{"type": "key", "id": "kbd", "actions": actions}]})
        self.cmd("DELETE", "/actions")

    def script(self, js: str, *args):
        return self.cmd("POST", "/execute/sync", {"script": js, "args": list(args)})

    def script_async(self, js: str, *args):
        """Runs `js`; it calls its last argument with the result."""
        return self.cmd("POST", "/execute/async", {"script": js, "args": list(args)})

    def invoke(self, command: str, args: dict | None = None):
        """Calls an app command as the page does; raises on its error."""
        out = self.script_async(
            "const done = arguments[arguments.length - 1];"
            "window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])"
            ".then(v => done({ok: v === undefined ? null : v}), e => done({err: e}));",
            command,
            args or {},
        )
        if out is None or "err" in out:
            raise WebDriverError(f"{command}: {out}")
        return out["ok"]

    def go(self, route: str) -> None:
        """Shows one of the app's screens (#/gate, #/kiosk, ...)."""
        self.script("location.hash = arguments[0];", f"#/{route}")

    def window_size(self, width: int, height: int) -> None:
        self.cmd("POST", "/window/rect", {"width": width, "height": height})

    def settle(self) -> None:
        """Waits until the page has painted its latest DOM changes: the DOM can
        be ahead of the pixels for a frame or more under Xvfb."""
        script = (
            "const done = arguments[arguments.length - 1];"
            "requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));"
            "setTimeout(done, 1000);"
        )
        self.cmd("POST", "/execute/async", {"script": script, "args": []})

    def screenshot(self, path: str) -> None:
        self.settle()
        # WebKitWebDriver takes the picture after the page's next presentation
        # update. With compositing off (the app's default) a page with nothing
        # left to paint never has one, and the command waits forever. So the
        # page repaints one invisible pixel every 50 ms until the picture is
        # taken (at most 10 s).
        self.script(
            "let d = document.getElementById('__e2e_paint');"
            "if (!d) { d = document.createElement('div'); d.id = '__e2e_paint';"
            "  d.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;"
            "pointer-events:none;z-index:2147483647'; document.body.appendChild(d); }"
            "let n = 0; clearInterval(window.__e2ePaint);"
            "window.__e2ePaint = setInterval(() => {"
            "  d.style.background = (++n % 2) ? 'rgba(0,0,0,0.004)' : 'rgba(0,0,0,0)';"
            "  if (n > 200) clearInterval(window.__e2ePaint); }, 50);"
        )
        try:
            png = base64.b64decode(self.cmd("GET", "/screenshot"))
        finally:
            self.script(
                "clearInterval(window.__e2ePaint);"
                "const d = document.getElementById('__e2e_paint'); if (d) d.remove();"
            )
        with open(path, "wb") as f:
            f.write(png)

    def close(self) -> None:
        try:
            self._call("DELETE", f"/session/{self.id}", timeout=30)
        except Exception as e:  # the app may already be gone; the test result stands
            print(f"  (closing session: {e})", file=sys.stderr)


def wait_for(what: str, probe, timeout: float = 30.0, interval: float = 0.25):
    """Polls `probe` until it returns a truthy value; fails with the last value seen."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = probe()
            if last:
                return last
        except WebDriverError as e:  # element not there yet, page still loading
            last = e
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}; last: {last!r}")
        time.sleep(interval)


def wait_text(s: Session, css: str, want: str, timeout: float = 30.0) -> None:
    seen: list[str] = []

    def probe():
        t = s.text(css).strip()
        seen.append(t)
        return t == want

    try:
        wait_for(f"{css} == {want!r}", probe, timeout)
    except AssertionError as e:
        raise AssertionError(f"{e}; {css} showed {seen[-1] if seen else None!r}") from None




def root_screenshot(path: str) -> None:
    """Whole X screen via imagemagick, independent of the WebDriver's view."""
    if os.environ.get("DISPLAY") and shutil.which("import"):
        subprocess.run(["import", "-window", "root", path], check=False, timeout=30)
