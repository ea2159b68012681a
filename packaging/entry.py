"""Entry script of the PyInstaller build (build.spec): both executables run the `branchdesk` command."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
