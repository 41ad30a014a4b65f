"""The report printed to PDF by a real browser: headless Chromium's own ``--print-to-pdf``.

Policy staff circulate PDFs. Printing through the browser the report is already read in
keeps one layout (the page's print style sheet, ``@media print`` in ``page.py``) and needs
no Python browser package at run time: only a Chromium executable, found on the machine.
The tests drive the same executable through Playwright (``tests/test_browser.py``), so the
page that is checked is the page that is printed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ScenarioError
from ..experiment.folder import write_file

CHROMIUM_ENV = "ENFORCEMENT_SIM_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = (
    "install Chromium (Debian or Ubuntu: apt-get install chromium) or name the browser's "
    f"executable in the environment variable {CHROMIUM_ENV}"
)
# Headless, no sandbox (root on CI), and nothing that phones home: on a closed network
# Chromium's background connections are refused and only slow it down.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
PRINT_FLAGS = ("--no-pdf-header-footer",)  # no date, file path or page numbers in margins
PRINT_TIMEOUT_S = 180


class BrowserNotFound(ScenarioError):
    """No Chromium on this machine: one line, saying how to get one."""

    def __init__(self, message: str) -> None:
        super().__init__("--pdf", message)

    def __reduce__(self):
        return (BrowserNotFound, (self.message,))


def find_chromium() -> str:
    """The Chromium executable: ``$ENFORCEMENT_SIM_CHROMIUM`` when set, else the first of
    ``chromium``, ``chromium-browser``, ``google-chrome``, ``google-chrome-stable`` on PATH."""
    named = os.environ.get(CHROMIUM_ENV, "").strip()
    if named:
        found = shutil.which(named)
        if found is None:
            raise BrowserNotFound(f"{CHROMIUM_ENV}={named} is not an executable; {INSTALL_HINT}")
        return found
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserNotFound(f"no Chromium browser found to print the PDF; {INSTALL_HINT}")


def print_pdf(html: str | Path, pdf: str | Path, *, timeout: float = PRINT_TIMEOUT_S) -> Path:
    """Print ``html`` (a report file) to ``pdf`` through headless Chromium; return ``pdf``.

    A fresh profile folder every time, so no earlier session's state (or a browser the
    user has open) changes what is printed; the PDF is written beside its final name and
    renamed over it, so a failed print never leaves half a file."""
    html, pdf = Path(html).resolve(), Path(pdf)
    if not html.is_file():
        raise ScenarioError("--pdf", f"no report to print at {html}")
    browser = find_chromium()

    def printed(tmp: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="enforcement-sim-chromium-") as profile:
            command = [browser, *FLAGS, *PRINT_FLAGS, f"--user-data-dir={profile}",
                       f"--print-to-pdf={tmp}", html.as_uri()]  # fmt: skip
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                      stdin=subprocess.DEVNULL)  # fmt: skip
            except subprocess.TimeoutExpired:
                raise ScenarioError(
                    "--pdf", f"{browser} did not print {html.name} within {timeout:.0f} s"
                ) from None
        if done.returncode != 0 or tmp.stat().st_size == 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise ScenarioError(
                "--pdf", f"{browser} could not print {html.name} (exit {done.returncode}): {last}"
            )

    write_file(pdf, printed)
    return pdf
