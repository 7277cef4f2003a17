"""Run app.py as the tests see it: no connection leaves this machine, whatever network there is.

``python tests/offline_app.py`` refuses every outgoing connection except to loopback (the browser and the
client talk to the app there), then runs app.py as ``python app.py`` would. Downloads of weights and
data sets therefore fail at once, as they do on the offline CI machine, and the app's fallbacks are what
the tests see.
"""
from __future__ import annotations

import runpy
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = ("127.0.0.1", "localhost", "::1")
_connect = socket.create_connection


def loopback_only(address, *args, **kwargs):
    if address[0] not in LOOPBACK:
        raise OSError(f"Network is unreachable: the tests run offline ({address[0]} refused)")
    return _connect(address, *args, **kwargs)


if __name__ == "__main__":
    socket.create_connection = loopback_only
    sys.path.insert(0, str(ROOT))
    runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
