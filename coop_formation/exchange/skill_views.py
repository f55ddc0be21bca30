"""Skills framework pages: tree with search, skill page, proposals and moderation."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coop_formation.errors import Conflict, InvalidInput
from coop_formation.exchange import permissions as perms
from coop_formation.exchange import services
from coop_formation.exchange.forms import ModerationForm, SkillProposalForm
from coop_formation.exchange.models import SkillStatus
from coop_formation.exchange.views import bp
from coop_formation.extensions import db


@bp.get("/skills")
@login_required
def skills_tree() -> str:
    query = request.args.get("q", "").strip()[:120]
    tree = services.skills_tree(db.session, query)
    count = sum(_count_skills(node) for node in tree)
    return render_template(
        "exchange/skills_tree.html",
        tree=tree,
        q=query,
        count=count,
        can_moderate=perms.can(current_user, perms.SKILL_MODERATE),
    )


def _count_skills(node: Any) -> int:
    own = 1 if node.skill.kind.value == "skill" and node.matched else 0
    return own + sum(_count_skills(child) for child in node.children)


@bp.get("/skills/<int:skill_id>")
@login_required
def show_skill(skill_id: int) -> Any:
    skill = services.get_skill(db.session, current_user, skill_id)
    if skill.status == SkillStatus.MERGED and skill.merged_into_id:
        return redirect(url_for("exchange.show_skill", skill_id=skill.merged_into_id))
    counts = services.skill_counts(db.session, current_user, skill)
    return render_template(
        "exchange/skill_detail.html",
        skill=skill,
        counts=counts,
        lineage=services.skill_lineage(skill),
        alt_labels=[label for label in skill.alt_labels.splitlines() if label.strip()],
        children=sorted(
            (c for c in _children(skill) if c.status == SkillStatus.APPROVED),
            key=lambda c: services.normalise(c.label),
        ),
    )


def _children(skill: Any) -> list[Any]:
    return services.skills_children(db.session, skill)


@bp.route("/skills/propose", methods=["GET", "POST"])
@login_required
def propose_skill() -> Any:
    form = SkillProposalForm()
    domains = services.domain_choices(db.session)
    form.parent_id.choices = [("", _("— Choisir un domaine —")), *domains]
    error = None
    if form.validate_on_submit():
        try:
            services.propose_skill(
                db.session,
                current_user,
                form.label.data or "",
                form.description.data or "",
                form.parent_id.data,
            )
        except InvalidInput as exc:
            db.session.rollback()
            if exc.field and exc.field in form:
                form[exc.field].errors = [*form[exc.field].errors, exc.message]
            else:
                error = exc.message
        else:
            db.session.commit()
            flash(_("Merci ! Votre proposition sera examinée par un correspondant."), "success")
            return redirect(url_for("exchange.skills_tree"))
    status = 422 if request.method == "POST" else 200
    return render_template("exchange/skill_propose.html", form=form, error=error), status


@bp.get("/skills/proposals")
@login_required
def skill_proposals() -> str:
    proposals = services.pending_proposals(db.session, current_user)
    domains = [("", _("— Domaine inchangé —")), *services.domain_choices(db.session)]
    targets = [("", _("— Choisir la compétence existante —"))] + [
        (skill.id, skill.label) for skill in services.approved_skills(db.session)
    ]
    forms = []
    for skill, proposer in proposals:
        form = ModerationForm(prefix=f"p{skill.id}", formdata=None)
        form.label.data = skill.label
        form.parent_id.choices = domains
        form.parent_id.data = skill.parent_id
        form.target_id.choices = targets
        forms.append((skill, proposer, form))
    return render_template("exchange/skill_proposals.html", items=forms)


@bp.post("/skills/<int:skill_id>/moderate")
@login_required
def moderate_skill(skill_id: int) -> Response:
    if not perms.can(current_user, perms.SKILL_MODERATE):
        abort(403)
    form = ModerationForm(prefix=f"p{skill_id}")
    form.parent_id.choices = []
    form.target_id.choices = []
    if not form.validate_on_submit():
        abort(400)
    action = request.form.get("action", "")
    try:
        result = services.moderate(
            db.session,
            current_user,
            skill_id,
            action,
            label=form.label.data or "",
            parent_id=form.parent_id.data,
            target_id=form.target_id.data,
        )
    except (InvalidInput, Conflict) as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("exchange.skill_proposals"))
    db.session.commit()
    messages = {
        "approve": _("« %(label)s » rejoint le référentiel.", label=result.label),
        "rename": _("Proposition renommée en « %(label)s ».", label=result.label),
        "reject": _("Proposition refusée."),
        "merge": _("Proposition fusionnée dans « %(label)s ».", label=result.label),
    }
    flash(messages.get(action, _("C'est fait.")), "success")
    return redirect(url_for("exchange.skill_proposals"))
