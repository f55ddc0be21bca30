"""Who may use the club pages, decided here and nowhere else.

HR club pages show aggregates only; the correspondent dashboard is per company. A company
outside the actor's reach answers 404 (its existence is not confirmed), a missing role 403.
"""

from __future__ import annotations

from flask_babel import gettext as _

from coop_formation.errors import Forbidden, NotFound
from coop_formation.people.models import Company, Member

CLUB_READ = "club:read"  # skills map, participation, club index
DASHBOARD_READ = "club:dashboard"  # the correspondent dashboard of one company
POOLED_READ = "club:pooled:read"
POOLED_PROPOSE = "club:pooled:propose"
POOLED_JOIN = "club:pooled:join"  # take seats for one company


def _active(actor: Member | None) -> bool:
    return actor is not None and actor.closed_at is None


def is_hr(actor: Member) -> bool:
    return bool(actor.is_hr_club or actor.is_admin)


def can(actor: Member | None, permission: str, company: Company | None = None) -> bool:
    """True when ``actor`` holds ``permission`` (on ``company`` for per-company ones)."""
    if not _active(actor):
        return False
    assert actor is not None
    if company is not None and company.cluster_id != actor.cluster_id:
        return False
    if permission in (CLUB_READ, POOLED_PROPOSE):
        return is_hr(actor)
    if permission == POOLED_READ:
        return is_hr(actor) or bool(actor.is_correspondent and actor.company_id)
    if permission == DASHBOARD_READ:
        # Member-level data of a company is for its correspondents only: the coop admin runs
        # the cooperative (companies, policy, keys, catalogue), not the companies' needs.
        return bool(
            actor.is_correspondent
            and actor.company_id is not None
            and (company is None or company.id == actor.company_id)
        )
    if permission == POOLED_JOIN:
        if is_hr(actor):
            return True
        return bool(
            actor.is_correspondent
            and actor.company_id is not None
            and (company is None or company.id == actor.company_id)
        )
    return False


def require(actor: Member, permission: str) -> None:
    """Raise :class:`Forbidden` unless ``actor`` holds the role-level ``permission``."""
    if not can(actor, permission):
        raise Forbidden(_("Cette page est réservée au club RH et aux correspondants formation."))


def require_company(actor: Member, permission: str, company: Company | None) -> Company:
    """The company, if ``actor`` may act on it; 404 when it is out of reach, 403 without role."""
    require(actor, permission)
    if company is None or not can(actor, permission, company):
        raise NotFound(_("Entreprise introuvable."))
    return company
