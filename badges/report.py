"""The verification report: one named check per question a verifier asks."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from .build import team_of

#: the checks of every report, in this order
CHECK_NAMES = ("structure", "signature", "issuer", "status", "expiry")


@dataclass(frozen=True)
class Check:
    """``name`` is one of :data:`CHECK_NAMES`; ``message`` is plain French for a person."""

    name: str
    ok: bool
    message: str


@dataclass
class VerificationReport:
    """Outcome of :func:`badges.verify`. ``valid`` is True only when every check is ok.

    ``issuer_known`` says whether the issuer is one the caller trusts (its own
    cooperative and companies); it does not affect ``valid``. ``revocation_reason`` and
    ``revoked_at`` are the issuer's own account of a revocation, filled in by a caller
    that knows it (a status list holds only a bit).
    """

    checks: list[Check]
    format: str
    credential: dict[str, Any] | None = None
    credential_id: str | None = None
    credential_types: list[str] = field(default_factory=list)
    issuer_id: str | None = None
    issuer_name: str | None = None
    issuer_known: bool = False
    achievement_name: str | None = None
    recipient: str | None = None
    team: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    revocation_reason: str | None = None
    revoked_at: str | None = None

    @property
    def valid(self) -> bool:
        names = {c.name for c in self.checks}
        return all(c.ok for c in self.checks) and names >= set(CHECK_NAMES)

    def check(self, name: str) -> Check:
        """The check called ``name`` (KeyError if absent)."""
        for item in self.checks:
            if item.name == name:
                return item
        raise KeyError(name)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for the API and ``verify --json``)."""
        data = asdict(self)
        data["valid"] = self.valid
        return data


def summarise(
    credential: Mapping[str, Any] | None,
    report: VerificationReport,
    trusted_issuers: Collection[str] | Mapping[str, str],
) -> None:
    """Fill the descriptive fields of ``report`` from the credential."""
    if not isinstance(credential, Mapping):
        return
    report.credential = dict(credential)
    report.credential_id = _str(credential.get("id"))
    types = credential.get("type")
    report.credential_types = [t for t in (types if isinstance(types, list) else [types]) if t]
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        report.issuer_id = _str(issuer.get("id"))
        report.issuer_name = _str(issuer.get("name"))
    else:
        report.issuer_id = _str(issuer)
    if report.issuer_id and report.issuer_id in trusted_issuers:
        report.issuer_known = True
        if isinstance(trusted_issuers, Mapping) and not report.issuer_name:
            report.issuer_name = trusted_issuers[report.issuer_id]
    subject = credential.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    if isinstance(subject, Mapping):
        achievement = subject.get("achievement")
        if isinstance(achievement, Mapping):
            report.achievement_name = _str(achievement.get("name"))
        report.recipient = _str(subject.get("id")) or _identity(subject.get("identifier"))
    report.team = team_of(credential)
    report.valid_from = _str(credential.get("validFrom") or credential.get("issuanceDate"))
    report.valid_until = _str(credential.get("validUntil") or credential.get("expirationDate"))


def _identity(value: Any) -> str | None:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, Mapping) and item.get("identityHash"):
            return _str(item["identityHash"])
    return None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
