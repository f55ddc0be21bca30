"""The demo cluster and the synthetic seed (the commands live in ``coop_formation.cli.demo``).

``seed_demo`` builds the realistic demo cluster, ``seed_synthetic`` a cluster of N members
for benchmarks; ``print_logins`` says where to go and which accounts to use.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from coop_formation.demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD
from coop_formation.demo.server import login_lines

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "print_logins"]


def print_logins(base_url: str, outbox: str, echo: Callable[[str], None] = click.echo) -> None:
    """Print the URL, the six demo accounts with their roles and the e-mail outbox."""
    for line in login_lines(base_url, outbox):
        echo(line)
