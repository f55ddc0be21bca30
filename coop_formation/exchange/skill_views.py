"""Skills framework pages: tree with search, skill page, proposals and moderation."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.exchange import bp, services
from coop_formation.exchange.forms import ModerationForm, SkillProposalForm
from coop_formation.exchange.models import SkillStatus
from coop_formation.extensions import db
from coop_formation.web import acting_member, post_action, submit_form


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
    )


def _count_skills(node: Any) -> int:
    own = 1 if node.skill.kind.value == "skill" and node.matched else 0
    return own + sum(_count_skills(child) for child in node.children)


@bp.get("/skills/<int:skill_id>")
@login_required
def show_skill(skill_id: int) -> Any:
    actor = acting_member()
    skill = services.get_skill(db.session, actor, skill_id)
    if skill.status == SkillStatus.MERGED and skill.merged_into_id:
        return redirect(url_for("exchange.show_skill", skill_id=skill.merged_into_id))
    counts = services.skill_counts(db.session, actor, skill)
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
    actor = acting_member()
    form = SkillProposalForm()
    form.parent_id.choices = [
        SelectChoice("", _("— Choisir un domaine —")),
        *_options(services.domain_choices(db.session)),
    ]
    return submit_form(
        form,
        lambda: services.propose_skill(
            db.session,
            actor,
            form.label.data or "",
            form.description.data or "",
            form.parent_id.data,
        ),
        done=lambda _skill: (
            _("Merci ! Votre proposition sera examinée par un correspondant."),
            url_for("exchange.skills_tree"),
        ),
        template="exchange/skill_propose.html",
    )


def _options(pairs: list[tuple[int, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


@bp.get("/skills/proposals")
@login_required
def skill_proposals() -> str:
    proposals = services.pending_proposals(db.session, acting_member())
    domains = [
        SelectChoice("", _("— Domaine inchangé —")),
        *_options(services.domain_choices(db.session)),
    ]
    targets = [SelectChoice("", _("— Choisir la compétence existante —"))] + [
        SelectChoice(skill.id, skill.label) for skill in services.approved_skills(db.session)
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


_MODERATED = {
    "approve": lambda label: _("« %(label)s » rejoint le référentiel.", label=label),
    "rename": lambda label: _("Proposition renommée en « %(label)s ».", label=label),
    "reject": lambda label: _("Proposition refusée."),
    "merge": lambda label: _("Proposition fusionnée dans « %(label)s ».", label=label),
}


@bp.post("/skills/<int:skill_id>/moderate")
@login_required
def moderate_skill(skill_id: int) -> Response:
    actor = acting_member()
    if not authz.can(actor, Permission.SKILL_MODERATE):
        abort(403)
    form = ModerationForm(prefix=f"p{skill_id}")
    form.parent_id.choices = []
    form.target_id.choices = []
    if not form.validate_on_submit():
        abort(400)
    action = request.form.get("action", "")
    done = _MODERATED.get(action, lambda label: _("C'est fait."))
    back = url_for("exchange.skill_proposals")
    return post_action(
        lambda: services.moderate(
            db.session,
            actor,
            skill_id,
            action,
            label=form.label.data or "",
            parent_id=form.parent_id.data,
            target_id=form.target_id.data,
        ),
        success=lambda result: done(result.label),
        next_url=back,
    )
