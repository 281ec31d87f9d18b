"""Serve the mock, or one of the broken tenants of ``broken.py``, as a real process (for the plugin's tests).

Usage: ``python broken_server.py NAME KEY`` where NAME is ``mock`` or a key of ``broken.BROKEN``. Prints
"listening on URL" once it accepts connections on a free 127.0.0.1 port; stops on SIGINT or SIGTERM.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from broken import BROKEN

from gscontract.mock import create_app
from gscontract.mock.server import bind, serve


def main() -> None:
    name, key = sys.argv[1], sys.argv[2]
    app = create_app(access_key=key, rate_limits="off", job_start_delay=0.2)
    if name != "mock":
        app = BROKEN[name](app, key)
    serve(app, bind("127.0.0.1", 0), on_ready=lambda url: print(f"listening on {url}", flush=True))


if __name__ == "__main__":
    main()
