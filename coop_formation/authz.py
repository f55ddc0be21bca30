"""The permission registry: every access decision of the platform is taken here.

Permissions are named (:class:`Permission`); each room registers the rule that decides
its own permissions in its ``rules.py`` (``@rule(Permission.NEED_READ)``). Views,
services, templates (``can()``) and list pages (:func:`scope`) all ask this registry,
so a list and the detail page behind it apply the same rule.

A rule answers :class:`Decision`: ``ALLOWED``; ``FORBIDDEN`` (403: the actor may know
the object exists); ``HIDDEN`` (404: existence itself must not leak). A rule may answer
a plain ``bool``; ``False`` then means ``FORBIDDEN``. This module imports nothing of
the rooms.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from coop_formation.errors import Forbidden, NotFound

if TYPE_CHECKING:
    import sqlalchemy as sa

    from coop_formation.people.models import Member

__all__ = [
    "Decision",
    "Permission",
    "can",
    "decide",
    "require",
    "rule",
    "scope",
    "scope_rule",
]


class Permission(enum.StrEnum):
    """Every permission of the platform, one name per thing someone may do or read."""

    # people
    MEMBER_READ_PROFILE = "member:read_profile"  # target: Member (their public page)
    MEMBER_LIST = "member:list"  # target: Company, or None for "all companies"
    MEMBER_IMPORT = "member:import"  # target: Company, or None for "any company"
    MEMBER_INVITE = "member:invite"  # target: Member (resend the invitation)
    MEMBER_APPOINT = "member:appoint_correspondent"  # target: Member
    CHARTER_PUBLISH = "charter:publish"  # target: None (the actor's cluster)
    COMPANY_MANAGE = "company:manage"  # target: Company, or None to create one
    MANAGE_AREA = "people:manage_area"  # target: None (the /gestion pages at all)
    MOBILITY_READ = "mobility:read"  # target: a mobility wish (author or chosen reader)
    # exchange
    NEED_CREATE = "need:create"  # target: None (declare a need for the actor's company)
    NEED_READ = "need:read"
    NEED_EDIT = "need:edit"
    NEED_SET_STATUS = "need:set_status"
    NEED_JOIN = "need:join"
    OFFER_READ = "offer:read"
    OFFER_EDIT = "offer:edit"
    SKILL_READ = "skill:read"
    SKILL_PROPOSE = "skill:propose"
    SKILL_MODERATE = "skill:moderate"
    # ledger
    WALLET_READ = "ledger:wallet"
    SEND_CREDITS = "ledger:send"
    EDIT_POLICY = "ledger:policy"
    RECORD_CONTRIBUTION = "ledger:contribute"
    READ_CLEARING = "ledger:clearing"
    CORRECT_TRANSFER = "ledger:correct"
    # training
    SESSION_READ = "session:read"
    SESSION_CREATE_FROM_OFFER = "session:create-from-offer"
    SESSION_CREATE_FROM_NEED = "session:create-from-need"
    SESSION_ENROL = "session:enrol"
    SESSION_TAKE_ATTENDANCE = "session:take-attendance"
    SESSION_SETTLE = "session:settle"
    SESSION_CANCEL = "session:cancel"
    SESSION_PARTICIPANTS_READ = "session:participants-read"
    FEEDBACK_READ = "session:feedback-read"
    VENUE_MANAGE = "venue:manage"
    # recognition
    ACHIEVEMENT_MANAGE = "achievement:manage"  # target: Achievement, or None to create one
    CREDENTIAL_AWARD = "credential:award"  # target: Member (the recipient)
    CREDENTIAL_REVOKE = "credential:revoke"  # target: Credential
    CREDENTIAL_CHOOSE = "credential:choose"  # target: Credential (accept, hide, make public)
    CREDENTIAL_READ = "credential:read"  # target: Credential (its page, even when hidden)
    JURY_OPEN = "jury:open"  # target: Member (the candidate)
    JURY_VOTE = "jury:vote"  # target: JuryValidation
    ENDORSE = "endorsement:create"  # target: Member (the endorsed colleague)
    # matching
    SUGGESTIONS_READ = "matching:suggestions-read"
    POOL_CREATE = "matching:pool-create"
    POOL_READ = "matching:pool-read"
    POOL_SCHEDULE = "matching:pool-schedule"
    CALL_OPEN = "matching:call-open"
    # club
    CLUB_READ = "club:read"  # skills map, participation, club index
    DASHBOARD_READ = "club:dashboard"  # the correspondent dashboard of one company
    POOLED_READ = "club:pooled:read"
    POOLED_PROPOSE = "club:pooled:propose"
    POOLED_JOIN = "club:pooled:join"  # take seats for one company
    # relations
    INTRODUCTION_CREATE = "introduction:create"  # target: Need
    INTRODUCTION_READ = "introduction:read"  # target: Introduction
    INTRODUCTION_ANSWER = "introduction:answer"  # target: Introduction
    INTRODUCTION_RECORD_OUTCOME = "introduction:record_outcome"  # target: Introduction
    INTRODUCTION_SEE_AUTHOR = "introduction:see-author"  # target: Introduction
    INTRODUCTION_SEE_TRAINER = "introduction:see-trainer"  # target: Introduction
    THREAD_READ = "thread:read"  # target: RelayThread
    THREAD_SEE_RECIPIENT = "thread:see-recipient"  # target: RelayThread
    THREAD_REVEAL = "thread:reveal"  # target: RelayThread (its recipient shows their name)
    THREAD_START_ON_NEED = "thread:start_on_need"  # target: Need
    # communities
    COMMUNITY_READ = "community:read"
    COMMUNITY_JOIN = "community:join"
    COMMUNITY_MEMBERS_READ = "community:members-read"
    COMMUNITY_POST = "community:post"
    COMMUNITY_SHARE = "community:share"
    COMMUNITY_MODERATE = "community:moderate"
    COMMUNITY_LINK_SESSION = "community:link-session"
    COMMUNITY_UNLINK_SESSION = "community:unlink-session"  # target: CommunitySession
    POST_EDIT = "post:edit"
    RESOURCE_DOWNLOAD = "resource:download"
    RESOURCE_DELETE = "resource:delete"
    # api
    API_TOKEN_REVOKE = "api-token:revoke"  # noqa: S105 (a name)  target: PersonalToken
    # notifications
    NOTIFICATION_READ = "notification:read"
    NOTIFICATION_POLICY_EDIT = "notification-policy:edit"


class Decision(enum.Enum):
    ALLOWED = "allowed"
    FORBIDDEN = "forbidden"  # 403: the actor may know the object exists
    HIDDEN = "hidden"  # 404: existence must not leak

    def __bool__(self) -> bool:
        return self is Decision.ALLOWED


#: ``(actor, target) -> Decision | bool``. The actor is an active member, or also ``None`` /
#: a deactivated member for rules registered with ``anonymous=True``.
Rule: TypeAlias = Callable[[Any, Any], "Decision | bool"]
Scope: TypeAlias = Callable[["Member"], "sa.ColumnElement[bool]"]

_RULES: dict[Permission, Rule] = {}
_SCOPES: dict[Permission, Scope] = {}
_OPEN_TO_ANONYMOUS: set[Permission] = set()


def rule(*permissions: Permission, anonymous: bool = False) -> Callable[[Rule], Rule]:
    """Register the function deciding ``permissions``; one rule per permission.

    By default an anonymous or deactivated actor is refused before the rule runs;
    ``anonymous=True`` hands such actors (possibly ``None``) to the rule instead.
    """

    def register(fn: Rule) -> Rule:
        for permission in permissions:
            existing = _RULES.get(permission)
            if existing is not None and existing is not fn:
                raise RuntimeError(f"two rules for {permission}: {existing} and {fn}")
            _RULES[permission] = fn
            if anonymous:
                _OPEN_TO_ANONYMOUS.add(permission)
        return fn

    return register


def scope_rule(permission: Permission) -> Callable[[Scope], Scope]:
    """Register the SQL condition selecting the rows ``permission`` lets an actor see."""

    def register(fn: Scope) -> Scope:
        _SCOPES[permission] = fn
        return fn

    return register


def _active(actor: Member | None) -> bool:
    """A member whose account is not closed (an anonymous visitor has no account at all).

    Not ``is_active``/``is_authenticated``: a member who has not chosen a password yet may
    still act through a correspondent's assisted use and be enrolled or named.
    """
    return actor is not None and getattr(actor, "closed_at", _NO_ACCOUNT) is None


_NO_ACCOUNT = object()


def decide(actor: Member | None, permission: Permission, target: Any = None) -> Decision:
    """Allowed, forbidden or hidden; an inactive or anonymous actor is never allowed."""
    fn = _RULES.get(permission)
    if fn is None:
        raise LookupError(f"no rule registered for {permission}")
    if not _active(actor) and permission not in _OPEN_TO_ANONYMOUS:
        return Decision.FORBIDDEN
    answer = fn(actor, target)
    if isinstance(answer, Decision):
        return answer
    return Decision.ALLOWED if answer else Decision.FORBIDDEN


def can(actor: Member | None, permission: Permission, target: Any = None) -> bool:
    return decide(actor, permission, target) is Decision.ALLOWED


def require(
    actor: Member | None,
    permission: Permission,
    target: Any = None,
    *,
    message: str = "",
    hidden_message: str | None = None,
) -> None:
    """Raise ``NotFound`` (hidden) or ``Forbidden`` unless allowed; ``message`` explains a
    refusal, ``hidden_message`` (default: ``message``) an absence."""
    decision = decide(actor, permission, target)
    if decision is Decision.HIDDEN:
        raise NotFound(message if hidden_message is None else hidden_message)
    if decision is Decision.FORBIDDEN:
        raise Forbidden(message)


def scope(actor: Member, permission: Permission) -> sa.ColumnElement[bool]:
    """The WHERE condition of a list page: exactly the rows ``permission`` allows."""
    fn = _SCOPES.get(permission)
    if fn is None:
        raise LookupError(f"no scope registered for {permission}")
    return fn(actor)


def open_to_anonymous() -> frozenset[Permission]:
    """Permissions whose rule also decides for anonymous or deactivated actors."""
    return frozenset(_OPEN_TO_ANONYMOUS)


def registered() -> frozenset[Permission]:
    """Permissions that have a rule (the role × permission test walks them all)."""
    return frozenset(_RULES)
