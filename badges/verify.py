"""The one verifier: JSON-LD credentials, VC-JWTs, baked PNG/SVG images, OB 2.0.

``verify`` never raises for an *invalid* credential (it reports why); it raises
:class:`UnusableInput` when the input holds no credential at all.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from pyld.jsonld import JsonLdError

from . import ob2
from .bake import detect_image, extract_png, extract_svg
from .contexts import VC_V1, VC_V2, Loader, check_defined_terms
from .dataintegrity import CRYPTOSUITE, PROOF_TYPE, proofs_of, verify_proof
from .dates import parse_datetime, utcnow
from .errors import BadgeError, ResolutionError, StatusListError, UndefinedTermError, UnusableInput
from .jwt import DecodedJwt, claim_problems, looks_like_jwt, parse_jwt, verify_jwt_signature
from .keyresolve import ResolvedKey, resolve_key
from .keys import public_key_from_jwk
from .report import Check, VerificationReport, summarise
from .resolver import OfflineResolver, Resolver
from .schema import schema_for, validate
from .status import list_bit, parse_entry, status_entries

MSG_SIGNATURE_OK = "La signature est valide : le contenu n'a pas été modifié depuis sa signature."
MSG_SIGNATURE_BAD = (
    "La signature ne correspond pas au contenu : le badge a été modifié "
    "ou n'a pas été signé par cet émetteur."
)
MSG_UNSIGNED = "Le badge n'est pas signé."
MSG_STRUCTURE_OK = "Le badge respecte le format Open Badges 3.0."
MSG_NO_STATUS = "Le badge ne prévoit pas de révocation."
MSG_NOT_REVOKED = "Le badge n'a pas été révoqué."
MSG_REVOKED = "Ce badge a été révoqué par son émetteur."
MSG_SUSPENDED = "Ce badge est suspendu par son émetteur."
MSG_IN_VALIDITY = "Le badge est en cours de validité."


def verify(
    data: Mapping[str, Any] | str | bytes,
    *,
    resolver: Resolver | None = None,
    trusted_issuers: Collection[str] | Mapping[str, str] = (),
    now: datetime | None = None,
    loader: Loader | None = None,
) -> VerificationReport:
    """Verify a credential given as a dict, JSON text, compact JWT, or PNG/SVG bytes.

    Checks, in the report's order: ``structure`` (JSON schema + no undefined term),
    ``signature``, ``issuer`` (the key belongs to the credential's issuer), ``status``
    (not revoked) and ``expiry``. Remote documents come only through ``resolver``
    (default: offline, ``did:key`` only). Raises :class:`UnusableInput` for input
    that holds no credential.
    """
    resolver = resolver or OfflineResolver()
    now = now or utcnow()
    kind, value = load_input(data, resolver)
    context = _Context(resolver, trusted_issuers, now, loader)
    if kind == "jwt":
        return _verify_jwt(value, context)
    if kind == "ob2":
        checks, credential, fmt, view = ob2.verify_ob2(value, resolver=resolver, now=now)
        report = VerificationReport(checks=checks, format=fmt)
        summarise(view, report, trusted_issuers)
        report.credential = credential
        return report
    return _verify_ldp(value, context)


class _Context:
    def __init__(self, resolver: Resolver, trusted: Any, now: datetime, loader: Any) -> None:
        self.resolver, self.trusted, self.now, self.loader = resolver, trusted, now, loader


def load_input(data: Any, resolver: Resolver) -> tuple[str, Any]:
    """Classify the input: ``("json", dict)``, ``("jwt", DecodedJwt)`` or ``("ob2", ...)``."""
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        kind = detect_image(raw)
        if kind is not None:
            text = extract_png(raw) if kind == "png" else extract_svg(raw)
            if not text:
                raise UnusableInput("L'image ne contient pas de badge.")
            return load_input(text, resolver)
        try:
            data = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnusableInput("Fichier illisible : ni image, ni JSON, ni JWT.") from exc
    if isinstance(data, str):
        text = data.strip()
        if text.startswith("{"):
            try:
                data = json.loads(text)
            except ValueError as exc:
                raise UnusableInput("Le texte n'est pas du JSON valide.") from exc
        elif looks_like_jwt(text):
            decoded = parse_jwt(text)
            if ob2.is_ob2(decoded.payload):
                return "ob2", text
            return "jwt", decoded
        elif text.startswith("https://") or text.startswith("http://"):
            return "ob2", text  # OB 2.0 images may hold the hosted assertion's URL
        else:
            raise UnusableInput("Ni JSON, ni JWT, ni image contenant un badge.")
    if not isinstance(data, Mapping):
        raise UnusableInput("Le badge doit être un objet JSON.")
    if ob2.is_ob2(data):
        return "ob2", dict(data)
    if "@context" not in data and "type" not in data:
        raise UnusableInput("Ce JSON n'est pas un justificatif (ni @context, ni type).")
    return "json", dict(data)


# --- structure -----------------------------------------------------------------------


def _structure(credential: Mapping[str, Any], loader: Loader | None) -> tuple[bool, str]:
    """(ok, message); ok means schema-valid, every term defined, dates readable."""
    contexts = credential.get("@context")
    contexts = contexts if isinstance(contexts, list) else [contexts]
    if not contexts or contexts[0] not in (VC_V2, VC_V1):
        return False, "Le badge n'est pas un justificatif vérifiable (contexte VC absent)."
    try:
        check_defined_terms(credential, loader)
    except UndefinedTermError as exc:
        terms = ", ".join(exc.terms[:5])
        return (
            False,
            f"Le badge contient des informations non couvertes par la signature : {terms}.",
        )
    except Exception as exc:  # pyld raises JsonLdError, ValueError, TypeError... on bad input
        return False, f"Le badge n'est pas un document JSON-LD valide : {_short(exc)}"
    if schema_for(dict(credential)) is not None:
        errors = validate(dict(credential))
        if errors:
            return False, "Le badge ne respecte pas le format Open Badges 3.0 : " + errors[0]
    for key in ("validFrom", "validUntil"):
        if key in credential:
            try:
                parse_datetime(credential[key])
            except ValueError:
                return False, f"Date illisible ({key})."
    return True, MSG_STRUCTURE_OK


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200]


# --- JSON-LD with embedded proof -------------------------------------------------------


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return value if isinstance(value, str) else None


def _embedded_proof_checks(
    credential: Mapping[str, Any], structure_ok: bool, ctx: _Context
) -> tuple[Check, Check]:
    issuer_id = _issuer_id(credential)
    proofs = proofs_of(credential)
    if not proofs:
        return (
            Check("signature", False, MSG_UNSIGNED),
            Check("issuer", False, "Aucune clé de signature à rattacher à l'émetteur."),
        )
    supported = [p for p in proofs if p.get("type") == PROOF_TYPE]
    supported = [p for p in supported if p.get("cryptosuite") == CRYPTOSUITE]
    if not supported:
        message = "Type de signature non pris en charge (eddsa-rdfc-2022 attendu)."
        return Check("signature", False, message), Check("issuer", False, message)
    signature_ok, issuer_problem = True, ""
    for proof in supported:
        if proof.get("proofPurpose") != "assertionMethod":
            return (
                Check("signature", False, "La preuve n'a pas pour objet « assertionMethod »."),
                Check("issuer", False, "La preuve n'engage pas l'émetteur."),
            )
        try:
            key = resolve_key(proof.get("verificationMethod", ""), issuer_id, ctx.resolver)
        except ResolutionError as exc:
            message = f"Impossible de retrouver la clé de l'émetteur : {exc}"
            return (
                Check(
                    "signature", False, "Signature invérifiable : clé de l'émetteur introuvable."
                ),
                Check("issuer", False, message),
            )
        if not key.controlled_by_issuer:
            issuer_problem = issuer_problem or key.reason
        if not structure_ok:
            signature_ok = False
            continue
        try:
            signature_ok = signature_ok and verify_proof(
                credential, proof, key.public_key, ctx.loader
            )
        except Exception:  # malformed input must give "invalid", never a crash
            signature_ok = False
    return _signature_check(signature_ok, structure_ok), _issuer_check(issuer_problem, credential)


def _signature_check(ok: bool, structure_ok: bool) -> Check:
    if ok:
        return Check("signature", True, MSG_SIGNATURE_OK)
    if not structure_ok:
        return Check("signature", False, "Signature invérifiable : le badge est mal formé.")
    return Check("signature", False, MSG_SIGNATURE_BAD)


def _issuer_check(problem: str, credential: Mapping[str, Any]) -> Check:
    if problem:
        return Check(
            "issuer", False, f"La clé de signature n'appartient pas à l'émetteur : {problem}."
        )
    issuer = credential.get("issuer")
    name = issuer.get("name") if isinstance(issuer, Mapping) else None
    who = f"« {name} »" if isinstance(name, str) else (_issuer_id(credential) or "?")
    return Check("issuer", True, f"La clé de signature appartient bien à l'émetteur {who}.")


def _verify_ldp(
    credential: dict[str, Any], ctx: _Context, *, check_status: bool = True
) -> VerificationReport:
    structure_ok, structure_message = _structure(credential, ctx.loader)
    signature, issuer = _embedded_proof_checks(credential, structure_ok, ctx)
    checks = [Check("structure", structure_ok, structure_message), signature, issuer]
    if check_status:
        checks.append(_status_check(credential, ctx))
    else:  # a status list credential has no status of its own to check
        checks.append(Check("status", True, MSG_NO_STATUS))
    checks.append(_expiry_check(credential, ctx.now))
    report = VerificationReport(checks=checks, format="json-ld")
    summarise(credential, report, ctx.trusted)
    return report


# --- JWT -------------------------------------------------------------------------------


def _verify_jwt(decoded: DecodedJwt, ctx: _Context) -> VerificationReport:
    credential = decoded.credential
    structure_ok, structure_message = _structure(credential, ctx.loader)
    problems = claim_problems(decoded)
    if structure_ok and problems:
        structure_ok = False
        structure_message = "Le jeton JWT ne concorde pas avec le badge : " + problems[0] + "."
    issuer_id = _issuer_id(credential)
    key: ResolvedKey | None = None
    signature = Check("signature", False, MSG_SIGNATURE_BAD)
    kid, jwk = decoded.header.get("kid"), decoded.header.get("jwk")
    issuer = Check("issuer", False, "Le jeton n'indique pas la clé de l'émetteur (kid).")
    try:
        if isinstance(kid, str) and kid:
            key = resolve_key(kid, issuer_id, ctx.resolver)
            issuer = _issuer_check("" if key.controlled_by_issuer else key.reason, credential)
        elif isinstance(jwk, dict):
            key = ResolvedKey("jwk", public_key_from_jwk(jwk), False, "clé jointe au jeton")
            issuer = _issuer_check("la clé est jointe au jeton, non publiée par l'émetteur", {})
    except (ResolutionError, BadgeError) as exc:
        issuer = Check("issuer", False, f"Impossible de retrouver la clé de l'émetteur : {exc}")
        signature = Check("signature", False, "Signature invérifiable : clé introuvable.")
    if key is not None:
        ok = verify_jwt_signature(decoded, key.public_key)
        if ok and proofs_of(credential):  # an embedded proof too: it must hold as well
            embedded, _ = _embedded_proof_checks(credential, structure_ok, ctx)
            ok = embedded.ok
        signature = _signature_check(ok, True)
    checks = [Check("structure", structure_ok, structure_message), signature, issuer]
    checks += [_status_check(credential, ctx), _expiry_check(credential, ctx.now)]
    report = VerificationReport(checks=checks, format="jwt")
    summarise(credential, report, ctx.trusted)
    return report


# --- status and expiry -----------------------------------------------------------------


def check_status(
    credential: Mapping[str, Any],
    *,
    resolver: Resolver,
    now: datetime | None = None,
    loader: Loader | None = None,
) -> Check:
    """The ``status`` check alone: fetch each status list through ``resolver``, check it
    is signed by the credential's issuer, and read the credential's bit."""
    return _status_check(credential, _Context(resolver, (), now or utcnow(), loader))


def _status_check(credential: Mapping[str, Any], ctx: _Context) -> Check:
    entries = status_entries(credential)
    if not entries:
        return Check("status", True, MSG_NO_STATUS)
    issuer_id = _issuer_id(credential)
    for entry in entries:
        try:
            url, index, purpose = parse_entry(entry)
            list_credential = ctx.resolver.fetch_json(url)
            if not isinstance(list_credential, Mapping):
                raise StatusListError("liste de statut illisible")
            list_report = _verify_ldp(dict(list_credential), ctx, check_status=False)
            if not list_report.valid:
                reason = list_report.failures[0].message
                raise StatusListError(f"la liste de statut n'est pas valide ({reason})")
            if _issuer_id(list_credential) != issuer_id:
                raise StatusListError("la liste de statut n'est pas publiée par l'émetteur")
            if list_bit(list_credential, index, purpose):
                return Check(
                    "status", False, MSG_SUSPENDED if purpose == "suspension" else MSG_REVOKED
                )
        except (BadgeError, JsonLdError, ValueError, TypeError) as exc:
            return Check("status", False, f"Impossible de vérifier la révocation : {exc}")
    return Check("status", True, MSG_NOT_REVOKED)


def _french_date(value: datetime) -> str:
    return value.strftime("%d/%m/%Y à %H:%M UTC")


def _expiry_check(credential: Mapping[str, Any], now: datetime) -> Check:
    try:
        start_text = credential.get("validFrom") or credential.get("issuanceDate")
        end_text = credential.get("validUntil") or credential.get("expirationDate")
        start = parse_datetime(start_text) if start_text else None
        end = parse_datetime(end_text) if end_text else None
    except ValueError:
        return Check("expiry", False, "Les dates de validité du badge sont illisibles.")
    if start is None:
        return Check("expiry", False, "Le badge n'indique pas sa date de début de validité.")
    if now < start:
        return Check(
            "expiry",
            False,
            f"Le badge n'est pas encore valide (à partir du {_french_date(start)}).",
        )
    if end is not None and now >= end:
        return Check("expiry", False, f"Le badge a expiré le {_french_date(end)}.")
    return Check("expiry", True, MSG_IN_VALIDITY)
