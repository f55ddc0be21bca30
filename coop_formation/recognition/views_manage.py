"""Catalogue and awarding pages: correspondents (for their company) and the coop admin
manage achievements, award badges with evidence, to teams, through a jury, and revoke.
Every member may read the catalogue."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from coop_formation import web
from coop_formation.authz import Permission
from coop_formation.exchange import services as exchange
from coop_formation.extensions import db
from coop_formation.recognition import bp, rules, services
from coop_formation.recognition.forms import (
    AchievementForm,
    AwardForm,
    CollectiveForm,
    ConfirmForm,
    JuryForm,
    RevokeForm,
    VoteForm,
)
from coop_formation.recognition.images import MAX_IMAGE_BYTES
from coop_formation.recognition.models import Achievement, AchievementKind
from coop_formation.recognition.view_helpers import grouped_choices, member_choices


def _achievement_data(form: AchievementForm) -> services.AchievementData:
    upload = form.image.data
    image = None
    if upload is not None and getattr(upload, "filename", None):
        image = upload.stream.read(MAX_IMAGE_BYTES + 1)
    return services.AchievementData(
        name=form.name.data or "",
        description=form.description.data or "",
        criteria=form.criteria.data or "",
        kind=AchievementKind(form.kind.data),
        skill_ids=list(form.skill_ids.data or []),
        valid_days=form.valid_days.data,
        image=image,
        remove_image=bool(form.remove_image.data),
    )


@bp.get("/badges/catalogue")
@login_required
def catalogue() -> str:
    actor = web.acting_member()
    return render_template(
        "recognition/catalogue.html",
        achievements=services.list_catalogue(
            db.session, actor, include_automatic=request.args.get("tous") == "1"
        ),
    )


def _achievement_form_page(achievement_id: int | None) -> Any:
    actor = web.acting_member()
    achievement = None
    if achievement_id is not None:
        achievement = services.get_achievement(db.session, actor, achievement_id)
    rules.require(actor, Permission.ACHIEVEMENT_MANAGE, achievement)
    form = AchievementForm(obj=achievement if request.method == "GET" else None)
    form.skill_ids.choices = grouped_choices(exchange.skill_choices(db.session))
    if request.method == "GET" and achievement is not None:
        form.kind.data = achievement.kind.value
        form.skill_ids.data = [s.id for s in achievement.skills]
    data = cache(lambda: _achievement_data(form))  # the upload is read once, even on a retry

    def save() -> Achievement:
        if achievement is None:
            return services.create_achievement(db.session, actor, data())
        return services.update_achievement(db.session, actor, achievement.id, data())

    return web.submit_form(
        form,
        save,
        done=lambda saved: (
            _("Badge enregistré."),
            url_for("recognition.achievement_detail", achievement_id=saved.id),
        ),
        template="recognition/achievement_form.html",
        achievement=achievement,
    )


@bp.route("/badges/catalogue/nouveau", methods=["GET", "POST"])
@login_required
def new_achievement() -> Any:
    return _achievement_form_page(None)


@bp.route("/badges/catalogue/<int:achievement_id>/modifier", methods=["GET", "POST"])
@login_required
def edit_achievement(achievement_id: int) -> Any:
    return _achievement_form_page(achievement_id)


@bp.get("/badges/catalogue/<int:achievement_id>")
@login_required
def achievement_detail(achievement_id: int) -> str:
    actor = web.acting_member()
    achievement = services.get_achievement(db.session, actor, achievement_id)
    return render_template(
        "recognition/achievement_detail.html",
        achievement=achievement,
        credentials=services.credentials_of_achievement(db.session, actor, achievement),
        archive_form=ConfirmForm(),
    )


@bp.post("/badges/catalogue/<int:achievement_id>/archiver")
@login_required
def archive_achievement(achievement_id: int) -> Response:
    catalogue_url = url_for("recognition.catalogue")
    if not ConfirmForm().validate_on_submit():
        return redirect(catalogue_url)
    return web.post_action(
        lambda: services.archive_achievement(db.session, web.acting_member(), achievement_id),
        success=_("Badge archivé : il ne sera plus décerné."),
        next_url=catalogue_url,
    )


def _end_of_day(value: date | None) -> datetime | None:
    return datetime.combine(value, time(23, 59, 59), tzinfo=UTC) if value else None


def _managed_achievement(achievement_id: int) -> Achievement:
    achievement = services.get_achievement(db.session, web.acting_member(), achievement_id)
    rules.require(web.acting_member(), Permission.ACHIEVEMENT_MANAGE, achievement)
    return achievement


@bp.route("/badges/catalogue/<int:achievement_id>/decerner", methods=["GET", "POST"])
@login_required
def award(achievement_id: int) -> Any:
    actor = web.acting_member()
    achievement = _managed_achievement(achievement_id)
    form = AwardForm()
    form.recipient_id.choices = member_choices(services.awardable_members(db.session, actor))
    return web.submit_form(
        form,
        lambda: services.award_manually(
            db.session,
            actor,
            achievement_id=achievement.id,
            recipient_id=form.recipient_id.data,
            evidence=form.evidence.data or "",
            valid_until=_end_of_day(form.valid_until.data),
        ),
        done=lambda credential: (
            _("Badge décerné."),
            url_for("recognition.credential", public_id=credential.public_id),
        ),
        template="recognition/award.html",
        achievement=achievement,
    )


@bp.route("/badges/catalogue/<int:achievement_id>/collectif", methods=["GET", "POST"])
@login_required
def award_team(achievement_id: int) -> Any:
    actor = web.acting_member()
    achievement = _managed_achievement(achievement_id)
    form = CollectiveForm()
    form.member_ids.choices = member_choices(services.awardable_members(db.session, actor))
    return web.submit_form(
        form,
        lambda: services.award_collective(
            db.session,
            actor,
            achievement_id=achievement.id,
            team_name=form.team_name.data or "",
            member_ids=list(form.member_ids.data or []),
            evidence=form.evidence.data or "",
        ),
        done=lambda issued: (
            _("Badge collectif décerné à %(n)s personnes.", n=len(issued)),
            url_for("recognition.achievement_detail", achievement_id=achievement.id),
        ),
        template="recognition/collective.html",
        achievement=achievement,
    )


@bp.route("/badges/catalogue/<int:achievement_id>/jury", methods=["GET", "POST"])
@login_required
def open_jury(achievement_id: int) -> Any:
    actor = web.acting_member()
    achievement = _managed_achievement(achievement_id)
    form = JuryForm()
    form.candidate_id.choices = member_choices(services.awardable_members(db.session, actor))
    form.juror_ids.choices = member_choices(services.cluster_members(db.session, actor))
    return web.submit_form(
        form,
        lambda: services.open_validation(
            db.session,
            actor,
            achievement_id=achievement.id,
            candidate_id=form.candidate_id.data,
            juror_ids=list(form.juror_ids.data or []),
            evidence=form.evidence.data or "",
        ),
        done=lambda validation: (
            _("Le jury est constitué : chaque juré donnera son avis."),
            url_for("recognition.jury", validation_id=validation.id),
        ),
        template="recognition/jury_form.html",
        achievement=achievement,
    )


@bp.route("/badges/jury/<int:validation_id>", methods=["GET", "POST"])
@login_required
def jury(validation_id: int) -> Any:
    actor = web.acting_member()
    validation = services.get_validation(db.session, actor, validation_id)
    form = VoteForm()
    return web.submit_form(
        form,
        lambda: services.cast_vote(
            db.session,
            actor,
            validation.id,
            approve=form.decision.data == "approve",
            comment=form.comment.data or "",
        ),
        done=lambda _validation: (
            _("Votre avis est enregistré."),
            url_for("recognition.jury", validation_id=validation.id),
        ),
        template="recognition/jury.html",
        validation=validation,
        can_vote=services.awaits_vote_of(actor, validation),
    )


@bp.route("/badges/credentials/<public_id>/revoquer", methods=["GET", "POST"])
@login_required
def revoke(public_id: str) -> Any:
    actor = web.acting_member()
    credential = services.get_credential(db.session, public_id)
    rules.require(actor, Permission.CREDENTIAL_REVOKE, credential)
    form = RevokeForm()
    return web.submit_form(
        form,
        lambda: services.revoke_credential(db.session, actor, public_id, form.reason.data or ""),
        done=lambda revoked: (
            _("Badge révoqué."),
            url_for("recognition.achievement_detail", achievement_id=revoked.achievement_id),
        ),
        template="recognition/revoke.html",
        credential=credential,
    )
