"""Who may use the club pages, registered in :mod:`coop_formation.authz`.

HR club pages show aggregates only; the correspondent dashboard is per company. A company
of another cluster is hidden; :func:`company_in_reach` answers 404 for any company out of
the actor's reach (its existence is not confirmed) and 403 for a missing role.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from coop_formation.authz import Decision, Permission, can, require, rule
from coop_formation.errors import NotFound
from coop_formation.people.models import Company, Member


def refusal() -> str:
    """The message of a club page refused to this actor (403)."""
    return _("Cette page est réservée au club RH et aux correspondants formation.")


def _is_hr(actor: Member) -> bool:
    return bool(actor.is_hr_club or actor.is_admin)


def _elsewhere(actor: Member, target: Any) -> bool:
    return isinstance(target, Company) and target.cluster_id != actor.cluster_id


def _correspondent_of(actor: Member, company: Company | None) -> bool:
    """A correspondent of a company, for that company (or for "their company")."""
    return bool(
        actor.is_correspondent
        and actor.company_id is not None
        and (company is None or company.id == actor.company_id)
    )


@rule(Permission.CLUB_READ, Permission.POOLED_PROPOSE)
def hr_club(actor: Member, target: Any = None) -> Decision | bool:
    """The HR club's aggregates and proposals: HR club and coop admin."""
    if _elsewhere(actor, target):
        return Decision.HIDDEN
    return _is_hr(actor)


@rule(Permission.POOLED_READ)
def read_pooled(actor: Member, target: Any = None) -> Decision | bool:
    """Pooled trainings: the HR club, and correspondents (who take seats)."""
    if _elsewhere(actor, target):
        return Decision.HIDDEN
    return _is_hr(actor) or bool(actor.is_correspondent and actor.company_id)


@rule(Permission.DASHBOARD_READ)
def read_dashboard(actor: Member, company: Company | None = None) -> Decision | bool:
    """Member-level data of a company is for its correspondents only: the coop admin runs
    the cooperative (companies, policy, keys, catalogue), not the companies' needs."""
    if _elsewhere(actor, company):
        return Decision.HIDDEN
    return _correspondent_of(actor, company)


@rule(Permission.POOLED_JOIN)
def join_pooled(actor: Member, company: Company | None = None) -> Decision | bool:
    """Seats for a company: the HR club for any company, a correspondent for their own."""
    if _elsewhere(actor, company):
        return Decision.HIDDEN
    return _is_hr(actor) or _correspondent_of(actor, company)


def company_in_reach(actor: Member, permission: Permission, company: Company | None) -> Company:
    """The company, if ``actor`` may act on it: 403 without the role, 404 when out of reach."""
    require(actor, permission, message=refusal())
    if company is None or not can(actor, permission, company):
        raise NotFound(_("Entreprise introuvable."))
    return company
