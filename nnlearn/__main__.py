"""`python -m nnlearn`: the same as the `nnlearn` command (see nnlearn.cli)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
