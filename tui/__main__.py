"""`python -m tui` runs the same command line as `broadsheet`."""

from tui.cli import main

raise SystemExit(main())
