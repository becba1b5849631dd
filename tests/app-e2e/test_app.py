#!/usr/bin/env python3
"""End-to-end test of the checkin app in its real WebView.

Drives the debug build of `checkin-app` through tauri-driver (W3C WebDriver,
backed by Debian's WebKitWebDriver) against a real `checkin-server` on
loopback. Standard library only. Run by scripts/app-e2e.sh, which builds
everything, starts the server (SQLite) with a venue and an enrollment code,
starts Xvfb and tauri-driver with CHECKIN_DATA_DIR set to a fresh folder.

The chain it checks, in the app's own window:
  enroll in Settings by pasting the code (CKE1:<token>@<url>)
  -> a citizen declares at the kiosk -> the signed pass is shown
  -> the pass, printed to an image, is replayed as the gate's camera
  -> green verdict with the name -> the check-in is in the station's queue
  -> `checkin sync` -> the records are on the server;
  a USB keyboard-wedge scan (keystrokes, no field focused) -> recorded;
  a tampered pass -> red with its reason, not stored;
  the server's vaccine-passport trust list reaches the app through sync; a
  certificate is judged with it at the gate and stored without its text;
  the status screen matches the store; every screen in both languages at
  desktop and tablet sizes (screenshots); a store from a newer version is
  refused with its code.

Prints one line per test and, last, exactly `N passed, M failed`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import Session, root_screenshot, wait_for, wait_text  # noqa: E402

# An ID card typed by a wedge scanner: ASCII only, as HID scanners type.
WEDGE_CARD = "001099012399||TRAN VAN WEDGE|01021990|Nam|Ha Noi|01012021"
# A vaccination certificate signed by the test document signer of
# trust-list.json (crates/cli/tests/dcc): it expired on 2022-10-01.
DCC_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "crates", "cli", "tests", "dcc")
SCREENS = ["gate", "kiosk", "paper", "quarantine", "sync", "settings"]


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)


class Tests:
    def __init__(self, o: argparse.Namespace):
        self.o = o
        self.session: Session | None = None
        self.pass_text: str | None = None

    # --- helpers ---------------------------------------------------------------

    def app(self, args: list[str] | None = None) -> Session:
        if self.session:
            self.session.close()
        self.session = Session(self.o.driver, self.o.app, args)
        return self.session

    def s(self) -> Session:
        return self.session or self.app()

    def shot(self, name: str) -> None:
        os.makedirs(self.o.artifacts, exist_ok=True)
        self.s().screenshot(os.path.join(self.o.artifacts, f"{name}.png"))
        root_screenshot(os.path.join(self.o.artifacts, f"{name}-screen.png"))

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return run([self.o.cli, "--data-dir", self.o.data_dir, *args])

    def status(self) -> dict:
        out = self.cli("status", "--json")
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    def stored(self) -> list[dict]:
        out = self.cli("list", "--json")
        assert out.returncode == 0, out.stderr
        return [json.loads(line)["record"] for line in out.stdout.splitlines() if line.strip()]

    def server_stats(self) -> dict:
        out = run([self.o.server, "admin", "--database", self.o.server_db, "stats", "--json"])
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    def language(self, lang: str) -> None:
        s = self.s()
        s.js_click(f"[data-testid=lang-switch] [data-lang={lang}]")
        css = f"[data-testid=lang-switch] [data-lang={lang}]"
        wait_for(f"language {lang}", lambda: s.attr(css, "aria-pressed") == "true")

    def verdict(self, level: str, timeout: float = 30) -> None:
        s = self.s()
        wait_for(
            f"verdict {level}",
            lambda: s.attr("[data-testid=verdict]", "data-level") == level,
            timeout=timeout,
        )

    # --- the tests, in order -----------------------------------------------------

    def test_enroll_by_pasting_the_code(self):
        """Settings: the enrollment code with the server's address sets the station up."""
        s = self.app()
        wait_for("the app's frame", lambda: s.exists(".app"))
        s.go("settings")
        wait_for("settings", lambda: s.exists("#enroll-code"))
        assert s.attr("[data-testid=enrollment]", "data-enrolled") == "false"
        s.type("#enroll-code", self.o.enroll_code)
        s.type("#enroll-label", "Cổng chính")
        s.click("[data-testid=enroll-submit]")
        wait_for(
            "enrolled",
            lambda: s.attr("[data-testid=enrollment]", "data-enrolled") == "true",
            timeout=30,
        )
        assert self.o.server_url in s.text("[data-testid=enrollment]")
        self.shot("settings-enrolled")

    def test_kiosk_pass_replayed_at_the_gate_reaches_the_server(self):
        """Kiosk declaration -> pass -> replayed camera -> green -> queue -> sync -> server."""
        s = self.s()
        s.go("kiosk")
        wait_for("kiosk form", lambda: s.exists("#k-name"))
        s.type("#k-name", "Bùi Thị Lan")
        s.type("#k-birth-day", "15")
        s.type("#k-birth-month", "8")
        s.type("#k-birth", "1985")
        s.js_click("[data-field=gender] .choice:nth-of-type(2)")
        s.type("#k-phone", "0903123456")
        for picker, typed in (("province", "ha noi"), ("district", "ba dinh"), ("commune", "truc bach")):
            css = f"#k-addr-{picker}"
            s.type(css, typed)
            wait_for(f"{picker} options", lambda c=css: s.exists(f"{c}-list [role=option]"))
            s.cmd("POST", f"/element/{s.find(css)}/value", {"text": "\ue007"})
        wait_for("commune chosen", lambda: s.attr("[data-testid=unit-commune]", "data-value") == "00004")
        for x in ("confirmed_or_suspected_case", "person_from_affected_area", "person_with_symptoms"):
            s.js_click(f'[data-field="exposures.{x}"] input[value=no]')
        s.js_click("#k-consent")
        s.js_click("[data-testid=kiosk-submit]")
        wait_for("the pass", lambda: s.exists("[data-testid=pass]"), timeout=30)
        assert s.attr("[data-testid=kiosk-result]", "data-level") == "green"
        self.pass_text = s.attr("[data-testid=pass]", "data-pass-text")
        assert self.pass_text and self.pass_text.startswith("CKP1:"), self.pass_text
        assert "Bùi Thị Lan" in s.text("[data-testid=pass]")
        self.shot("kiosk-pass")
        s.js_click("[data-testid=kiosk-done]")

        # The pass, printed and held up to the gate's camera (a replayed folder).
        frames = tempfile.mkdtemp(prefix="checkin-e2e-frames-")
        out = run([self.o.frames_tool, frames, self.pass_text])
        assert out.returncode == 0, out.stderr
        before = len([r for r in self.stored() if r["kind"] == "checkin"])
        s.invoke("settings_update", {"patch": {"camera": f"replay:{frames}"}})
        s.go("gate")
        self.verdict("green", timeout=30)
        wait_text(s, "[data-testid=verdict-name]", "Bùi Thị Lan")
        self.shot("gate-pass-green")
        s.invoke("camera_stop")
        s.invoke("settings_update", {"patch": {"camera": ""}})
        checkins = [r for r in self.stored() if r["kind"] == "checkin"]
        assert len(checkins) > before, "the scan is in the station's queue"
        assert checkins[0]["subject"]["type"] == "pass"
        assert checkins[0]["subject"]["full_name"] == "Bùi Thị Lan"
        # The app syncs by itself; `checkin sync` then finds nothing left.
        out = self.cli("sync")
        assert out.returncode == 0, out.stdout + out.stderr
        st = self.status()
        assert st["pending"] == 0, st
        stats = self.server_stats()
        assert stats["declarations"] >= 1 and stats["checkins"] >= 1, stats
        shutil.rmtree(frames, ignore_errors=True)

    def test_usb_wedge_scan_is_recorded(self):
        """Keystrokes from a keyboard-wedge scanner, no field focused, make a check-in."""
        s = self.s()
        s.go("gate")
        wait_for("gate", lambda: s.exists("[data-testid=direction]"))
        s.script("document.activeElement && document.activeElement.blur();")
        before = len(self.stored())
        s.keys(WEDGE_CARD + "\ue007")
        self.verdict("green")
        wait_text(s, "[data-testid=verdict-name]", "TRAN VAN WEDGE")
        wait_for("stored", lambda: len(self.stored()) == before + 1)
        latest = self.stored()[0]
        assert latest["subject"]["id_number"] == "001099012399", latest
        assert "TRAN VAN WEDGE" in s.text("[data-testid=recent-scans]")
        self.shot("gate-wedge")

    def test_tampered_pass_is_red_with_its_reason(self):
        """A pass with one character changed is refused at the gate, not stored."""
        assert self.pass_text, "needs the kiosk test's pass"
        s = self.s()
        s.go("gate")
        chars = list(self.pass_text)
        chars[-3] = "B" if chars[-3] == "A" else "A"
        before = len(self.stored())
        s.script("document.activeElement && document.activeElement.blur();")
        s.keys("".join(chars) + "\ue007")
        self.verdict("red")
        reasons = s.text("[data-testid=verdict-reasons]").lower()
        assert any(w in reasons for w in ("sửa", "chữ ký", "altered", "signature", "hỏng", "damaged")), reasons
        assert len(self.stored()) == before, "a refused pass is not a visit"
        self.shot("gate-tampered-pass")

    def test_certificate_is_judged_with_the_trust_list_from_sync(self):
        """admin trust-list import -> sync -> the gate verifies a certificate with it, stores its kind only."""
        out = run([self.o.server, "admin", "--database", self.o.server_db, "trust-list", "import",
                   os.path.join(DCC_DIR, "trust-list.json")])
        assert out.returncode == 0, out.stderr
        s = self.s()
        s.go("sync")
        wait_for("sync screen", lambda: s.exists("[data-testid=sync-now]"))
        s.js_click("[data-testid=sync-now]")
        wait_for(
            "the trust list on the sync screen",
            lambda: s.attr("[data-testid=trust-list]", "data-state") == "held",
            timeout=60,
        )
        self.shot("sync-trust-list")
        s.go("gate")
        wait_for("gate", lambda: s.exists("[data-testid=direction]"))
        with open(os.path.join(DCC_DIR, "vaccination.txt"), encoding="utf-8") as f:
            code = f.read().strip()
        before = len(self.stored())
        s.script("document.activeElement && document.activeElement.blur();")
        s.keys(code + "\ue007")
        self.verdict("red")
        assert s.attr("[data-testid=verdict]", "data-kind") == "dcc"
        reasons = s.text("[data-testid=verdict-reasons]").lower()
        assert "hết hạn" in reasons or "expired" in reasons, reasons
        # Authentic, so the guard sees whose it is.
        wait_text(s, "[data-testid=verdict-name]", "Nguyễn Văn An")
        wait_for("stored", lambda: len(self.stored()) == before + 1)
        latest = self.stored()[0]
        assert latest["subject"] == {"type": "certificate", "certificate": "vaccination"}, latest
        assert "raw_code" not in latest and "Nguyễn" not in json.dumps(latest, ensure_ascii=False), latest
        self.shot("gate-certificate")

    def test_status_screen_matches_the_store(self):
        s = self.s()
        s.go("sync")
        st = self.status()
        wait_text(s, "#pending", str(st["pending"]))
        wait_text(s, "#synced", str(st["synced"]))
        assert s.text("#rejected").strip() == str(st["rejected"])
        conn = sqlite3.connect(os.path.join(self.o.data_dir, "checkin.db"))
        device = conn.execute("SELECT device_id FROM device").fetchone()[0]
        conn.close()
        wait_text(s, "#device-id", device)
        self.shot("sync-status")

    def test_every_screen_in_both_languages_and_sizes(self):
        """Screenshots of each screen, vi and en, desktop 1280x800 and tablet 800x1280."""
        s = self.s()
        for w, h in ((1280, 800), (800, 1280)):
            s.window_size(w, h)
            for lang in ("vi", "en"):
                self.language(lang)
                for screen in SCREENS:
                    s.go(screen)
                    wait_for(f"{screen} shown", lambda sc=screen: s.attr(".app", "data-route") == sc)
                    self.shot(f"app-{screen}-{lang}-{w}x{h}")
        self.language("vi")
        s.window_size(1280, 800)

    def test_newer_schema_shows_an_error_code(self):
        """A store written by a newer version is refused, and the page says so by code."""
        newer = tempfile.mkdtemp(prefix="checkin-e2e-newer-")
        try:
            out = run([self.o.cli, "--data-dir", newer, "status", "--json"])
            assert out.returncode == 0, out.stderr
            conn = sqlite3.connect(os.path.join(newer, "checkin.db"))
            conn.execute("PRAGMA user_version = 999")
            conn.commit()
            conn.close()
            s = self.app(["--data-dir", newer])
            wait_for("the app's frame", lambda: s.exists(".app"))
            s.go("sync")
            wait_for("#status-error shown", lambda: s.displayed("#status-error"))
            assert s.text("[data-testid=error-code]").strip() == "store_newer_schema", s.text("#status-error")
            self.shot("error-newer-schema")
        finally:
            if self.session:
                self.session.close()
                self.session = None
            shutil.rmtree(newer, ignore_errors=True)

    def run(self) -> int:
        names = [n for n in dir(self) if n.startswith("test_")]
        # Definition order: later tests build on earlier ones (enrollment, the pass).
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
                        self.shot(f"failure-{name}")
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
    p.add_argument("--app", required=True, help="the checkin-app binary")
    p.add_argument("--cli", required=True, help="the checkin CLI binary")
    p.add_argument("--server", required=True, help="the checkin-server binary")
    p.add_argument("--server-db", required=True, help="the server's database URL")
    p.add_argument("--server-url", required=True, help="the server's base URL")
    p.add_argument("--enroll-code", required=True, help="CKE1:<token>@<url>")
    p.add_argument("--frames-tool", required=True, help="the demo_frames example binary")
    p.add_argument("--data-dir", required=True, help="the CHECKIN_DATA_DIR tauri-driver runs with")
    p.add_argument("--artifacts", default="app-e2e-artifacts", help="where screenshots go")
    return Tests(p.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
