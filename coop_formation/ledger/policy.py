"""The cluster's currency policy: read the version in force, change it (a new row each time).

A change of floor or ceiling applies to every member account at once; an account already
past the new limit keeps its current position as its limit (nobody's past balance becomes
illegal retroactively; they simply cannot go further).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation.authz import Permission, require
from coop_formation.db import utcnow
from coop_formation.errors import InvalidInput
from coop_formation.ledger.models import Account, AccountKind, LedgerPolicy, NoShowRule
from coop_formation.ledger.rules import refusal
from coop_formation.people.models import Member

EDITABLE_FIELDS = (
    "unit_name",
    "unit_code",
    "price_per_hour",
    "preparation_minutes",
    "trainer_rate_per_hour",
    "floor",
    "ceiling",
    "welcome_grant",
    "cancellation_deadline_hours",
    "no_show_rule",
)


def current_policy(session: Session, cluster_id: int) -> LedgerPolicy:
    """The latest policy row of the cluster, or the defaults (a transient, unsaved object)."""
    return policy_at(session, cluster_id, None)


def policy_at(session: Session, cluster_id: int, when: datetime | None) -> LedgerPolicy:
    """The policy in force at ``when`` (None: now); the defaults before any change."""
    stmt = sa.select(LedgerPolicy).where(LedgerPolicy.cluster_id == cluster_id)
    if when is not None:
        stmt = stmt.where(LedgerPolicy.effective_from <= when)
    stmt = stmt.order_by(LedgerPolicy.effective_from.desc(), LedgerPolicy.id.desc()).limit(1)
    policy = session.scalars(stmt).first()
    return policy if policy is not None else LedgerPolicy.defaults(cluster_id)


def policy_history(session: Session, actor: Member) -> list[LedgerPolicy]:
    """Every version of the actor's cluster policy, newest first (coop admin only)."""
    require(actor, Permission.EDIT_POLICY, message=refusal())
    stmt = (
        sa.select(LedgerPolicy)
        .where(LedgerPolicy.cluster_id == actor.cluster_id)
        .order_by(LedgerPolicy.effective_from.desc(), LedgerPolicy.id.desc())
    )
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class _Rule:
    minimum: int | None = None
    maximum: int | None = None
    nullable: bool = False


_INT_RULES = {
    "price_per_hour": _Rule(minimum=0),
    "preparation_minutes": _Rule(minimum=0, maximum=24 * 60),
    "trainer_rate_per_hour": _Rule(minimum=0),
    "floor": _Rule(maximum=0, nullable=True),
    "ceiling": _Rule(minimum=1, nullable=True),
    "welcome_grant": _Rule(minimum=0),
    "cancellation_deadline_hours": _Rule(minimum=0, maximum=24 * 90),
}


def _validate(values: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name in ("unit_name", "unit_code"):
        text = str(values.get(name) or "").strip()
        limit = 60 if name == "unit_name" else 8
        if not text or len(text) > limit:
            raise InvalidInput(_("Indiquez un texte de 1 à %(n)s caractères.", n=limit), field=name)
        clean[name] = text
    for name, rule in _INT_RULES.items():
        value = values.get(name)
        if value is None:
            if rule.nullable:
                clean[name] = None
                continue
            raise InvalidInput(_("Ce champ est obligatoire."), field=name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(_("Indiquez un nombre entier."), field=name)
        if rule.minimum is not None and value < rule.minimum:
            raise InvalidInput(_("La valeur est trop petite."), field=name)
        if rule.maximum is not None and value > rule.maximum:
            raise InvalidInput(_("La valeur est trop grande."), field=name)
        clean[name] = value
    if clean["floor"] is not None and clean["floor"] > 0:
        raise InvalidInput(_("Le plancher doit être nul ou négatif."), field="floor")
    try:
        clean["no_show_rule"] = NoShowRule(values.get("no_show_rule", ""))
    except ValueError as exc:
        raise InvalidInput(_("Choisissez une règle dans la liste."), field="no_show_rule") from exc
    return clean


def update_policy(
    session: Session, actor: Member, *, note: str = "", **values: Any
) -> LedgerPolicy:
    """Record a new policy version for the actor's cluster and apply its limits to accounts."""
    require(actor, Permission.EDIT_POLICY, message=refusal())
    clean = _validate(values)
    previous = current_policy(session, actor.cluster_id)
    policy = LedgerPolicy(
        cluster_id=actor.cluster_id,
        minor_per_unit=previous.minor_per_unit,
        effective_from=utcnow(),
        changed_by_id=actor.id,
        note=(note or "").strip()[:500],
        **clean,
    )
    session.add(policy)
    session.flush()
    apply_limits_to_member_accounts(session, actor.cluster_id, policy.floor, policy.ceiling)
    return policy


def apply_limits_to_member_accounts(
    session: Session, cluster_id: int, floor: int | None, ceiling: int | None
) -> None:
    """Set the member accounts' limits, never making a current position illegal."""
    table = cast(sa.Table, Account.__table__)  # a mapped class's table is a Table
    # Lock in id order first, like transfers do, so this bulk change cannot deadlock with them.
    session.execute(
        sa.select(table.c.id)
        .where(table.c.cluster_id == cluster_id, table.c.kind == AccountKind.MEMBER.value)
        .order_by(table.c.id)
        .with_for_update()
    )
    available = table.c.credits_posted - table.c.debits_posted - table.c.debits_pending
    reach = table.c.credits_posted + table.c.credits_pending - table.c.debits_posted
    new_floor: Any = (
        sa.null()
        if floor is None
        else sa.case((available < floor, available), else_=sa.literal(floor, sa.BigInteger))
    )
    new_ceiling: Any = (
        sa.null()
        if ceiling is None
        else sa.case((reach > ceiling, reach), else_=sa.literal(ceiling, sa.BigInteger))
    )
    session.execute(
        sa.update(table)
        .where(table.c.cluster_id == cluster_id, table.c.kind == AccountKind.MEMBER.value)
        .values(floor=new_floor, ceiling=new_ceiling)
    )
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Account):
            session.expire(obj, ["floor", "ceiling"])
