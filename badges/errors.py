"""Exceptions raised by the badges library.

Two families matter to callers: :class:`UnusableInput` (the input is not a credential
at all: exit code 2 for a CLI) and every other :class:`BadgeError` (something was
wrong while building, signing or checking a credential).
"""

from __future__ import annotations


class BadgeError(Exception):
    """Base class of every error raised on purpose by this library."""


class UnusableInput(BadgeError):
    """The input holds no credential we can read (not JSON, not a JWT, bare image...)."""


class UndefinedTermError(BadgeError):
    """A JSON-LD term does not expand to an absolute IRI: it would be left unsigned.

    ``terms`` lists the offending keys or type values, ``paths`` where they occur.
    """

    def __init__(self, terms: list[str], paths: list[str] | None = None) -> None:
        self.terms = sorted(set(terms))
        self.paths = paths or []
        where = f" (à {', '.join(self.paths[:5])})" if self.paths else ""
        super().__init__(
            "Terme(s) ou IRI non défini(s) par les contextes JSON-LD : "
            + ", ".join(repr(t) for t in self.terms)
            + where
        )


class ContextNotAvailable(BadgeError):
    """A JSON-LD context (or other remote document) was requested but is not shipped."""


class SigningError(BadgeError):
    """The document could not be signed (bad key, malformed document...)."""


class ResolutionError(BadgeError):
    """A DID, key or remote document could not be resolved."""


class NetworkRefused(ResolutionError):
    """The resolver in use does not allow network access."""


class BakingError(UnusableInput):
    """The image is malformed (bad CRC, DOCTYPE in SVG...) or cannot hold a credential."""


class StatusListError(BadgeError):
    """A status list credential or entry is malformed."""
