"""``python -m eventcat.cli``: the ``eventcat`` command."""

from eventcat.cli import main

main()
