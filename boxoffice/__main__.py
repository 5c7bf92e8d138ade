"""`python -m boxoffice`: the same as the `boxoffice` command."""

import sys

from boxoffice.cli import main

sys.exit(main())
