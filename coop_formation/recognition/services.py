"""Recognition services: the one entry point views, the CLI and other domains call.

Behaviour lives in topic modules (keys, issuers, catalogue, issuing, awarding, jury,
endorsements, verification, importing, public); this module re-exports them. Every
function takes the session (and the acting member where someone acts) and flushes,
never commits.
"""

from __future__ import annotations

from coop_formation.recognition.awarding import (
    award_collective,
    award_for_session,
    award_for_settled_session,
    award_manually,
    awardable_members,
    cluster_members,
    get_credential,
    revoke_credential,
    set_recipient_choice,
)
from coop_formation.recognition.catalogue import (
    AchievementData,
    archive_achievement,
    create_achievement,
    credentials_of_achievement,
    get_achievement,
    get_public_achievement,
    list_catalogue,
    update_achievement,
)
from coop_formation.recognition.endorsements import (
    endorse,
    endorsements_received,
    get_own_endorsement,
)
from coop_formation.recognition.holder import HeldCredential, backpack, export_badges
from coop_formation.recognition.importing import (
    BadgeImport,
    ImportOutcome,
    delete_imported,
    download_name,
    import_badge,
    imported_badges,
    own_imported,
)
from coop_formation.recognition.issuers import (
    cooperative_issuer,
    get_issuer,
    issuer_json,
    register_company_issuer,
    trusted_issuers,
)
from coop_formation.recognition.jury import (
    awaits_vote_of,
    cast_vote,
    get_validation,
    open_validation,
    pending_votes,
)
from coop_formation.recognition.keys import (
    active_key,
    did_document,
    issuer_did,
    jwks_document,
    rotate_key,
)
from coop_formation.recognition.public import (
    achievement_picture,
    baked_png,
    baked_svg,
    credential_page,
    credentials_listing,
    my_credentials,
    profile_badges,
    public_credentials_of,
    qr_code_svg,
    visible_credential,
)
from coop_formation.recognition.statuslists import status_list_document
from coop_formation.recognition.verification import report_json, verify_input

__all__ = [
    "AchievementData",
    "BadgeImport",
    "HeldCredential",
    "ImportOutcome",
    "achievement_picture",
    "active_key",
    "archive_achievement",
    "awaits_vote_of",
    "award_collective",
    "award_for_session",
    "award_for_settled_session",
    "award_manually",
    "awardable_members",
    "backpack",
    "baked_png",
    "baked_svg",
    "cast_vote",
    "cluster_members",
    "cooperative_issuer",
    "create_achievement",
    "credential_page",
    "credentials_listing",
    "credentials_of_achievement",
    "delete_imported",
    "did_document",
    "download_name",
    "endorse",
    "endorsements_received",
    "export_badges",
    "get_achievement",
    "get_credential",
    "get_issuer",
    "get_own_endorsement",
    "get_public_achievement",
    "get_validation",
    "import_badge",
    "imported_badges",
    "issuer_did",
    "issuer_json",
    "jwks_document",
    "list_catalogue",
    "my_credentials",
    "open_validation",
    "own_imported",
    "pending_votes",
    "profile_badges",
    "public_credentials_of",
    "qr_code_svg",
    "register_company_issuer",
    "report_json",
    "revoke_credential",
    "rotate_key",
    "set_recipient_choice",
    "status_list_document",
    "trusted_issuers",
    "update_achievement",
    "verify_input",
    "visible_credential",
]
