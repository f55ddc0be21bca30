"""Open Badges library of coop_formation: build, sign, verify and bake credentials.

Pure Python, no Flask, no database, no network: remote documents come through a
caller-supplied :class:`Resolver`. Open Badges 3.0 credentials are signed with an
embedded Data Integrity proof (``eddsa-rdfc-2022``) and/or as a VC-JWT; Open Badges
2.0 assertions are available for older consumers (:mod:`badges.ob2`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from . import image, ob2
from .bake import bake_png, bake_svg, detect_image, extract_png, extract_svg
from .build import (
    AchievementDefinition,
    Alignment,
    CredentialOptions,
    Evidence,
    IssuerProfile,
    Recipient,
    build_endorsement_credential,
    build_open_badge_credential,
    hashed_email_identity,
    identity_matches,
    new_credential_id,
    team_of,
)
from .contexts import canonicalize, check_defined_terms, document_loader, make_document_loader
from .dataintegrity import sign as _sign_document
from .dates import format_datetime, parse_datetime
from .did import (
    build_did_document,
    did_key_for,
    did_web_to_url,
    resolve_did_key,
    url_to_did_web,
)
from .errors import (
    BadgeError,
    BakingError,
    ContextNotAvailable,
    NetworkRefused,
    ResolutionError,
    SigningError,
    StatusListError,
    UndefinedTermError,
    UnusableInput,
)
from .image import default_badge_png, default_badge_svg
from .jwt import sign_jwt
from .keys import (
    IssuerKey,
    generate_ed25519_key,
    generate_rsa_key,
    jwks,
    load_private_key,
    private_key_to_pem,
    public_jwk,
    public_key_multibase,
)
from .recipient import designates_someone, recipient_matches
from .report import CHECK_NAMES, Check, VerificationReport
from .resolver import OfflineResolver, Resolver, StaticResolver
from .schema import validate as validate_schema
from .status import StatusList, build_status_list_credential, status_entry
from .verify import check_status, verify


def sign_credential(
    credential: Mapping[str, Any], key: IssuerKey, *, created: datetime | None = None
) -> dict[str, Any]:
    """Sign with an embedded ``eddsa-rdfc-2022`` proof (``proof: [...]``).

    Refuses a credential whose issuer is not the key's controller, or that holds a
    term the JSON-LD contexts do not define (:class:`UndefinedTermError`).
    """
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if issuer_id != key.controller:
        raise SigningError(f"La clé {key.key_id} n'appartient pas à l'émetteur {issuer_id}.")
    return _sign_document(credential, key.private_key, key.key_id, created=created)


__all__ = [
    "CHECK_NAMES",
    "AchievementDefinition",
    "Alignment",
    "BadgeError",
    "BakingError",
    "Check",
    "ContextNotAvailable",
    "CredentialOptions",
    "Evidence",
    "IssuerKey",
    "IssuerProfile",
    "NetworkRefused",
    "OfflineResolver",
    "Recipient",
    "ResolutionError",
    "Resolver",
    "SigningError",
    "StaticResolver",
    "StatusList",
    "StatusListError",
    "UndefinedTermError",
    "UnusableInput",
    "VerificationReport",
    "bake_png",
    "bake_svg",
    "build_did_document",
    "build_endorsement_credential",
    "build_open_badge_credential",
    "build_status_list_credential",
    "canonicalize",
    "check_defined_terms",
    "check_status",
    "default_badge_png",
    "default_badge_svg",
    "designates_someone",
    "detect_image",
    "did_key_for",
    "did_web_to_url",
    "document_loader",
    "extract_png",
    "extract_svg",
    "format_datetime",
    "generate_ed25519_key",
    "generate_rsa_key",
    "hashed_email_identity",
    "identity_matches",
    "image",
    "jwks",
    "load_private_key",
    "make_document_loader",
    "new_credential_id",
    "ob2",
    "parse_datetime",
    "private_key_to_pem",
    "public_jwk",
    "public_key_multibase",
    "recipient_matches",
    "resolve_did_key",
    "sign_credential",
    "sign_jwt",
    "status_entry",
    "team_of",
    "url_to_did_web",
    "validate_schema",
    "verify",
]
