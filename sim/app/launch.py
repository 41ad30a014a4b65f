"""Start the scenario explorer: ``enforcement-sim app`` runs ``streamlit run`` on the page.

Streamlit serves a script file, not a module, so the launcher names the installed
``sim/app/main.py`` (found beside this file, whether the package is a checkout or a wheel).
The server settings are chosen here rather than left to a ``.streamlit/config.toml`` in
whatever folder the user starts from: only this machine may connect unless ``--address``
says otherwise, no browser tab is opened and nothing is reported to Streamlit's servers
(policy staff may sit on a closed network), uploads are small (a scenario and its region
table are kilobytes), and the installed files are not watched for edits.

Streamlit is an optional extra (``pip install 'enforcement-sim[app]'``): without it the
command says so in one line and exits 2, like any other bad input.
"""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
from pathlib import Path

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 8501
MAX_UPLOAD_MB = 1  # Streamlit's own limit on one uploaded file; the app checks sizes too
INSTALL_HINT = "install the app extra: pip install 'enforcement-sim[app]'"


def main_script() -> Path:
    """The page Streamlit runs: ``main.py`` beside this module, in the installed package."""
    return Path(__file__).resolve().with_name("main.py")


def streamlit_installed() -> bool:
    """Whether the ``[app]`` extra is present (found without importing Streamlit)."""
    return importlib.util.find_spec("streamlit") is not None


def streamlit_command(port: int = DEFAULT_PORT, address: str = DEFAULT_ADDRESS) -> list[str]:
    """The command that serves the explorer: this Python's Streamlit, so the server sees the
    same ``sim`` as the ``enforcement-sim`` that started it (no other install on PATH)."""
    settings = {
        "server.headless": "true",  # print the address; never open a browser
        "server.address": address,
        "server.port": str(port),
        "server.maxUploadSize": str(MAX_UPLOAD_MB),
        "server.fileWatcherType": "none",  # installed files do not change under a user
        "server.runOnSave": "false",
        "browser.gatherUsageStats": "false",  # nothing leaves the machine
        "client.toolbarMode": "viewer",  # no deploy or developer menu for policy staff
    }
    flags = [f"--{name}={value}" for name, value in settings.items()]
    return [sys.executable, "-m", "streamlit", "run", str(main_script()), *flags]


def launch(port: int = DEFAULT_PORT, address: str = DEFAULT_ADDRESS) -> int:
    """Serve the explorer until Ctrl-C; return the exit status for the command line.

    Ctrl-C reaches Streamlit too (same process group), which shuts down on it; the
    launcher then waits for it and ends quietly rather than with a traceback."""
    if not streamlit_installed():
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    if not main_script().is_file():  # a broken install, not a user's mistake
        print(f"error: the explorer page is missing: {main_script()}", file=sys.stderr)
        return 2
    print(f"the explorer is at http://{address}:{port} (Ctrl-C stops it)", flush=True)
    server = subprocess.Popen(streamlit_command(port, address))
    try:
        return server.wait()
    except KeyboardInterrupt:
        return _stop(server)


def _stop(server: subprocess.Popen, timeout: float = 10.0) -> int:
    """After Ctrl-C: let Streamlit finish its own shutdown, then make sure it has ended."""
    try:
        server.wait(timeout=timeout)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return 0
