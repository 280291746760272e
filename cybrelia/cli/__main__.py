"""``python -m cybrelia.cli``: the ``cybrelia`` command without the console script."""

import sys

from cybrelia.cli import main

sys.exit(main())
