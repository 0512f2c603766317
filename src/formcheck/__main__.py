"""``python -m formcheck``: the same as the ``formcheck`` command."""

from .cli import main_entry

main_entry()
