"""Import members from a CSV file (command line and management page share this service).

The whole file is checked before anything is written: one bad line and nothing changes.
Importing the same file twice updates the members it already created (keyed by e-mail).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.errors import InvalidInput
from coop_formation.people.accounts import create_invitation, normalise_email
from coop_formation.people.mails import OutgoingMail
from coop_formation.people.models import Cluster, Company, Member

REQUIRED_COLUMNS = ("email", "display_name", "company")
OPTIONAL_COLUMNS = ("role", "job_title")
ROLES = ("member", "correspondent", "hr_club", "admin")
STAFF_ROLES = ("hr_club", "admin")
EMAIL_RE = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


@dataclass(frozen=True)
class MemberRow:
    line: int
    email: str
    display_name: str
    company: Company | None
    role: str | None
    job_title: str | None


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    mails: list[OutgoingMail] = field(default_factory=list)

    @property
    def invited(self) -> int:
        return len(self.mails)


def decode_csv(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(_("Le fichier doit être un CSV encodé en UTF-8.")) from exc


def _line_error(line: int, message: str) -> InvalidInput:
    return InvalidInput(_("ligne %(line)s : %(message)s", line=line, message=message))


def _read_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput(_("Le fichier est vide.")) from None
    except csv.Error as exc:
        raise _line_error(1, str(exc)) from None
    columns = [name.strip().lower() for name in header]
    for name in columns:
        if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            raise _line_error(
                1,
                _(
                    "colonne inconnue « %(name)s » (colonnes possibles : %(all)s)",
                    name=name,
                    all=", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS),
                ),
            )
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise _line_error(1, _("colonne obligatoire absente : %(names)s", names=", ".join(missing)))
    if len(set(columns)) != len(columns):
        raise _line_error(1, _("une colonne apparaît deux fois"))
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(columns):
                raise _line_error(
                    line,
                    _("%(got)s valeurs au lieu de %(want)s", got=len(values), want=len(columns)),
                )
            rows.append((line, {k: v.strip() for k, v in zip(columns, values, strict=True)}))
    except csv.Error as exc:
        raise _line_error(reader.line_num, str(exc)) from None
    if not rows:
        raise InvalidInput(_("Le fichier ne contient aucun membre."))
    return rows


def _company_lookup(session: Session, cluster: Cluster) -> dict[str, Company]:
    lookup: dict[str, Company] = {}
    for company in session.scalars(sa.select(Company).where(Company.cluster_id == cluster.id)):
        lookup.setdefault(company.name.strip().lower(), company)
        lookup[company.slug.lower()] = company
    return lookup


def parse_members_csv(
    session: Session, actor: Member | None, cluster: Cluster, text: str
) -> list[MemberRow]:
    """Check every line; raise ``InvalidInput`` naming the first bad line, write nothing.

    ``actor`` is the member importing from the web page, or None for the command line
    (the operator of the server). A correspondent imports members of their company only.
    """
    if actor is not None:
        authz.require(actor, Permission.MANAGE_AREA)
    companies = _company_lookup(session, cluster)
    parsed: list[MemberRow] = []
    seen: dict[str, int] = {}
    for line, raw in _read_rows(text):
        email = normalise_email(raw.get("email", ""))
        if not email:
            raise _line_error(line, _("adresse e-mail manquante"))
        if len(email) > 254 or not EMAIL_RE.match(email) or email.endswith("@invalid.local"):
            raise _line_error(line, _("adresse e-mail invalide « %(email)s »", email=email))
        if email in seen:
            raise _line_error(line, _("adresse déjà présente ligne %(other)s", other=seen[email]))
        seen[email] = line
        name = raw.get("display_name", "")
        if not name or len(name) > 120:
            raise _line_error(line, _("nom manquant ou trop long (120 caractères au plus)"))
        role = (raw.get("role") or "").lower() or None
        if role is not None and role not in ROLES:
            raise _line_error(
                line,
                _(
                    "rôle inconnu « %(role)s » (possibles : %(all)s)",
                    role=role,
                    all=", ".join(ROLES),
                ),
            )
        job_title = raw.get("job_title") or None
        if job_title is not None and len(job_title) > 160:
            raise _line_error(line, _("intitulé de poste trop long (160 caractères au plus)"))
        company_key = raw.get("company", "")
        company = companies.get(company_key.lower()) if company_key else None
        if company_key and company is None:
            raise _line_error(line, _("entreprise inconnue « %(name)s »", name=company_key))
        if company is None and role not in STAFF_ROLES:
            raise _line_error(line, _("entreprise manquante"))
        if actor is not None:
            _check_actor_may_import(actor, line, company, role)
        parsed.append(MemberRow(line, email, name, company, role, job_title))
    _check_existing(session, actor, cluster, parsed)
    return parsed


def _check_actor_may_import(
    actor: Member, line: int, company: Company | None, role: str | None
) -> None:
    if role in STAFF_ROLES and not authz.can(actor, Permission.MEMBER_IMPORT):
        raise _line_error(line, _("seul l'administrateur de la coopérative attribue ce rôle"))
    if company is not None and not authz.can(actor, Permission.MEMBER_IMPORT, company):
        raise _line_error(line, _("vous ne pouvez importer que des membres de votre entreprise"))


def _existing_by_email(session: Session, emails: list[str]) -> dict[str, Member]:
    found: dict[str, Member] = {}
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        for member in session.scalars(sa.select(Member).where(Member.email.in_(chunk))):
            found[member.email] = member
    return found


def _check_existing(
    session: Session, actor: Member | None, cluster: Cluster, rows: list[MemberRow]
) -> None:
    existing = _existing_by_email(session, [row.email for row in rows])
    for row in rows:
        member = existing.get(row.email)
        if member is None:
            continue
        foreign = member.cluster_id != cluster.id
        every_company = actor is None or authz.can(actor, Permission.MEMBER_IMPORT)
        if not every_company:
            assert actor is not None  # every_company when there is no actor
            foreign = foreign or member.company_id != actor.company_id
        if foreign:
            raise _line_error(row.line, _("adresse déjà utilisée par un autre compte"))
        if not every_company and (member.is_admin or member.is_hr_club):
            raise _line_error(
                row.line, _("seul l'administrateur de la coopérative modifie ce compte")
            )


def import_members(
    session: Session,
    actor: Member | None,
    cluster: Cluster,
    rows: list[MemberRow],
    *,
    invite: bool = True,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Create or update the checked rows; new members get an invitation mail unless told not to.

    The mails are returned, to be delivered after the caller commits.
    """
    report = ImportReport()
    existing = _existing_by_email(session, [row.email for row in rows])
    created: list[Member] = []
    for index, row in enumerate(rows, start=1):
        member = existing.get(row.email)
        if member is None:
            member = Member(cluster_id=cluster.id, email=row.email, display_name=row.display_name)
            session.add(member)
            created.append(member)
            report.created += 1
        else:
            report.updated += 1
        member.display_name = row.display_name
        member.company_id = row.company.id if row.company is not None else None
        if row.job_title is not None:
            member.job_title = row.job_title
        if row.role is not None:
            member.is_correspondent = row.role == "correspondent"
            member.is_hr_club = row.role == "hr_club"
            member.is_admin = row.role == "admin"
        if on_progress is not None and index % 100 == 0:
            on_progress(100)
        if index % 1000 == 0:
            session.flush()
    session.flush()
    if on_progress is not None and len(rows) % 100:
        on_progress(len(rows) % 100)
    if invite:
        report.mails = [create_invitation(session, member) for member in created]
    return report
