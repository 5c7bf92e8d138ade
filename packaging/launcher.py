"""The packaged app's one executable: the app as `boxoffice`, the sync server when started as `boxoffice-server`."""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> int:
    if Path(sys.argv[0]).name.startswith("boxoffice-server"):
        from sync.server.cli import main as server_main

        return server_main()
    from boxoffice.cli import main as app_main

    return app_main()


if __name__ == "__main__":
    sys.exit(main())
