#!/usr/bin/env python3
"""End-to-end test of the checkin app in its real WebView.

Drives the debug build of `checkin-app` through tauri-driver (W3C WebDriver,
backed by Debian's WebKitWebDriver) and reads the queue status from the page.
Standard library only. Run by scripts/app-e2e.sh, which builds the app,
prepares the data dir, starts Xvfb and tauri-driver; run by hand with:

    CHECKIN_DATA_DIR=DIR tauri-driver --port 4444 &
    python3 tests/app-e2e/test_app.py --driver http://127.0.0.1:4444 \
        --app target/debug/checkin-app --cli target/debug/checkin \
        --data-dir DIR --expect-pending 3 --artifacts /tmp/e2e

Prints one line per test and, last, exactly `N passed, M failed`.
Exit status 0 only when every test passed.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request

TRANSPORT_ATTEMPTS = 3
ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"
VENUE = "01-00001-DEMO"


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
        png = base64.b64decode(self.cmd("GET", "/screenshot"))
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


def device_id(data_dir: str) -> str:
    conn = sqlite3.connect(os.path.join(data_dir, "checkin.db"))
    try:
        return conn.execute("SELECT device_id FROM device WHERE singleton = 1").fetchone()[0]
    finally:
        conn.close()


def record(cli: str, data_dir: str, n: int) -> None:
    """Stores one check-in with the station CLI, as a second process would."""
    code = f"0010990{n:05d}||NGUYỄN VĂN E{n}|01021990|Nam|Hà Nội|01012021"
    subprocess.run(
        [cli, "--data-dir", data_dir, "record", "--venue", VENUE, "--code", code],
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=30,
    )


class Tests:
    def __init__(self, opts: argparse.Namespace):
        self.o = opts
        self.session: Session | None = None

    def app(self, args: list[str] | None = None) -> Session:
        if self.session:
            self.session.close()
        self.session = Session(self.o.driver, self.o.app, args)
        return self.session

    def shot(self, s: Session, name: str) -> None:
        os.makedirs(self.o.artifacts, exist_ok=True)
        s.screenshot(os.path.join(self.o.artifacts, f"{name}.png"))
        root_screenshot(os.path.join(self.o.artifacts, f"{name}-screen.png"))

    def test_status_shows_the_queue(self):
        """The window shows the counts of the data dir given by CHECKIN_DATA_DIR."""
        s = self.app()
        wait_text(s, "#pending", str(self.o.expect_pending))
        assert s.text("#synced").strip() == "0", s.text("#synced")
        assert s.text("#rejected").strip() == "0", s.text("#rejected")
        want_device = device_id(self.o.data_dir)
        wait_text(s, "#device-id", want_device, timeout=5)
        assert not s.displayed("#status-error"), "error box shown on a healthy store"
        labels = s.text("body")
        for label in ("Đang chờ gửi", "Pending", "Đã đồng bộ", "Synced", "Bị từ chối", "Rejected"):
            assert label in labels, f"label {label!r} missing from page: {labels!r}"
        self.shot(s, "app-status")

    def test_status_follows_new_records(self):
        """A record stored by another process shows up by itself, and on the button."""
        s = self.session or self.app()
        base = self.o.expect_pending
        wait_text(s, "#pending", str(base))
        record(self.o.cli, self.o.data_dir, 9001)
        # The panel refreshes every 2 s: well within 8 s without touching anything.
        wait_text(s, "#pending", str(base + 1), timeout=8)
        record(self.o.cli, self.o.data_dir, 9002)
        s.click("#refresh")
        wait_text(s, "#pending", str(base + 2), timeout=8)
        self.shot(s, "app-status-after-records")

    def test_newer_schema_shows_an_error_code(self):
        """A store written by a newer version is refused, and the page says so by code."""
        newer = tempfile.mkdtemp(prefix="checkin-e2e-newer-")
        try:
            record(self.o.cli, newer, 1)
            conn = sqlite3.connect(os.path.join(newer, "checkin.db"))
            conn.execute("PRAGMA user_version = 999")
            conn.commit()
            conn.close()
            s = self.app(["--data-dir", newer])
            wait_for("#status-error shown", lambda: s.displayed("#status-error"))
            assert s.text("#error-code").strip() == "store_newer_schema", s.text("#error-code")
            assert "newer" in s.text("#error-message"), s.text("#error-message")
            self.shot(s, "app-error-newer-schema")
        finally:
            if self.session:
                self.session.close()
                self.session = None
            shutil.rmtree(newer, ignore_errors=True)

    def run(self) -> int:
        names = [n for n in dir(self) if n.startswith("test_")]
        # Definition order: later tests build on the first one's session.
        names.sort(key=lambda n: getattr(Tests, n).__code__.co_firstlineno)
        passed = failed = 0
        for name in names:
            t0 = time.monotonic()
            try:
                getattr(self, name)()
            except Exception as e:
                failed += 1
                print(f"FAIL {name} ({time.monotonic() - t0:.1f}s): {e}")
                traceback.print_exc(file=sys.stderr)
                if self.session:
                    try:
                        self.shot(self.session, f"failure-{name}")
                    except Exception:
                        pass
            else:
                passed += 1
                print(f"ok   {name} ({time.monotonic() - t0:.1f}s)")
            sys.stdout.flush()
        if self.session:
            self.session.close()
        print(f"{passed} passed, {failed} failed")
        return 0 if failed == 0 else 1


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--driver", default="http://127.0.0.1:4444", help="tauri-driver URL")
    p.add_argument("--app", required=True, help="path of the checkin-app binary")
    p.add_argument("--cli", required=True, help="path of the checkin CLI binary")
    p.add_argument("--data-dir", required=True, help="the CHECKIN_DATA_DIR tauri-driver runs with")
    p.add_argument("--expect-pending", type=int, required=True)
    p.add_argument("--artifacts", default="app-e2e-artifacts", help="where screenshots go")
    return Tests(p.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
