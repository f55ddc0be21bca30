"""What every command shares: refusing unusable input in one line (exit 2) and showing
progress. A leaf module: it imports nothing of the application."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any, NoReturn

import click


class UnusableInput(click.ClickException):
    """Bad input given to a command: one line on stderr, exit code 2."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Erreur : {self.format_message()}", err=True)


def fail(message: str) -> NoReturn:
    raise UnusableInput(message)


@contextmanager
def progress(total: int, label: str) -> Iterator[Any]:
    """A progress bar on stderr; ``bar.update(n)`` advances it."""
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar
