"""The skills map: k-anonymised supply and demand, an SVG picture and an equivalent table."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

from coop_formation.exchange.models import SkillRelation
from coop_formation.people.models import Member
from tests.club.factories import NOW, declare, make_members, need_with_supporters
from tests.factories import OfferFactory

SVG_NS = "{http://www.w3.org/2000/svg}"


def _all_names() -> list[str]:
    from coop_formation.extensions import db

    return [name for (name,) in db.session.query(Member.display_name)]


def _populate(world, skill_tree):  # type: ignore[no-untyped-def]
    teachers = make_members(world.alpha, 6, "Enseignant")
    declare(teachers, skill_tree["sheets"])  # 6 can teach "Tableur"
    declare(teachers[:2], skill_tree["writing"])  # 2 can teach "Traitement de texte"
    declare(
        make_members(world.beta, 1, "Appreneur"), skill_tree["sheets"], SkillRelation.WANTS_TO_LEARN
    )
    offer = OfferFactory(trainer=world.member_beta)
    offer.skills.append(skill_tree["welding"])
    learners = make_members(world.beta, 6, "Apprenant")
    need_with_supporters(learners[0], skill_tree["sheets"], learners[1:])  # 6 want Tableur
    need_with_supporters(world.member_alpha, skill_tree["welding"], [])  # 1 wants Soudure TIG
    writers = make_members(world.beta, 5, "Rédacteur")
    need_with_supporters(writers[0], skill_tree["writing"], writers[1:])  # 5 want Traitement
    from coop_formation.extensions import db

    db.session.commit()
    return teachers


def _rounded(count: int) -> set[str]:
    """What a count of 5 or more may publish: its two neighbouring multiples of 5."""
    low = count - count % 5
    return {str(low)} if count % 5 == 0 else {str(low), str(low + 5)}


def _table_cells(html: str, label: str) -> list[str]:
    row = re.search(r"<th scope=\"row\"[^>]*>" + re.escape(label) + r"</th>(.*?)</tr>", html, re.S)
    assert row, label
    return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_skills_map_masks_small_cells_and_their_domain(client_for, world, skill_tree) -> None:  # type: ignore[no-untyped-def]
    _populate(world, skill_tree)
    html = client_for(world.hr).get("/club/carte-des-competences").get_data(as_text=True)
    supply, demand = _table_cells(html, "Tableur")
    assert supply in _rounded(6) and demand in _rounded(6)
    assert _table_cells(html, "Traitement de texte") == ["&lt; 5", "5"]
    # The domain is rounded on its own (6 teachers, 11 learners), never masked for a skill.
    supply, demand = _table_cells(html, "Domaine : Bureautique")
    assert supply in _rounded(6) and demand in _rounded(11)
    assert "n.d." not in html
    # A skill (and a domain) whose every cell is under 5 is not listed: no "someone, here".
    assert "Soudure" not in html.split("<table", 1)[1]
    assert "Soudure" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_skills_map_csv_exports_masked_cells_empty_with_a_note(
    client_for, world, skill_tree
) -> None:  # type: ignore[no-untyped-def]
    _populate(world, skill_tree)
    response = client_for(world.hr).get("/club/carte-des-competences.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    lines = body.splitlines()
    tableur = next(line for line in lines if line.startswith("competence;Bureautique;Tableur;"))
    assert all(n in _rounded(6) for n in tableur.split(";")[3:5])
    assert "competence;Bureautique;Traitement de texte;;5" in lines
    domain = next(line for line in lines if line.startswith("domaine;Bureautique;;"))
    assert domain.split(";")[3] in _rounded(6) and domain.split(";")[4] in _rounded(11)
    assert not any("Soudure" in line for line in lines)
    assert "k-anonymat" in body
    for number in ("1", "2", "3", "4"):
        assert not any(line.endswith(f";{number}") or f";{number};" in line for line in lines[3:])


def test_no_member_name_in_skills_map_page_or_csv(client_for, world, skill_tree) -> None:  # type: ignore[no-untyped-def]
    _populate(world, skill_tree)
    client = client_for(world.hr)
    html = client.get("/club/carte-des-competences").get_data(as_text=True)
    body = client.get("/club/carte-des-competences.csv").get_data(as_text=True)
    # The layout greets the signed-in HR member; only other people's names matter here.
    names = [n for n in _all_names() if n != world.hr.display_name]
    assert names
    for name in names:
        assert name not in html and name not in body, name


def test_skills_map_svg_is_well_formed_and_accessible(client_for, world, skill_tree) -> None:  # type: ignore[no-untyped-def]
    _populate(world, skill_tree)
    html = client_for(world.hr).get("/club/carte-des-competences").get_data(as_text=True)
    match = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert match
    svg = ET.fromstring(match.group(0))  # noqa: S314 (our own page, parsed to prove it is XML)
    assert svg.get("role") == "img"
    labelled = svg.get("aria-labelledby", "").split()
    title, desc = svg.find(f"{SVG_NS}title"), svg.find(f"{SVG_NS}desc")
    assert title is not None and desc is not None and title.text and desc.text
    assert title.get("id") in labelled and desc.get("id") in labelled
    assert "style" not in match.group(0).lower()
    assert "<script" not in html.lower()
    assert ' style="' not in html
    texts = [t.text for t in svg.iter(f"{SVG_NS}text")]
    assert "< 5" in texts and texts.count("5") + texts.count("10") >= 2
    assert "<table" in html


def test_skills_map_filters_by_company_group_and_period(client_for, world, skill_tree) -> None:  # type: ignore[no-untyped-def]
    _populate(world, skill_tree)
    client = client_for(world.hr)
    html = client.get(f"/club/carte-des-competences?companies={world.beta.id}").get_data(
        as_text=True
    )
    supply, demand = _table_cells(html, "Tableur")
    assert supply == "&lt; 5" and demand in _rounded(6)  # Alpha's teachers left out
    # Periods are whole months: start with the month after the needs were opened.
    next_month = (NOW.date().replace(day=28) + timedelta(days=4)).replace(day=1)
    start = next_month.isoformat()
    end = (next_month + timedelta(days=40)).isoformat()
    html = client.get(f"/club/carte-des-competences?start={start}&end={end}").get_data(as_text=True)
    supply, demand = _table_cells(html, "Tableur")
    assert supply in _rounded(6) and demand == "&lt; 5"  # needs opened before the period


def test_skills_map_refuses_a_reversed_period_in_french(client_for, world) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world.hr).get(
        "/club/carte-des-competences?start=2026-05-01&end=2026-01-01"
    )
    assert response.status_code == 422
    assert "La fin de la période doit suivre son début." in response.get_data(as_text=True)
    response = client_for(world.hr).get("/club/carte-des-competences?companies=999999")
    assert response.status_code == 422
    response = client_for(world.hr).get("/club/carte-des-competences.csv?start=pas-une-date")
    assert response.status_code == 422


def test_company_groups_cannot_be_subtracted_to_reveal_a_small_company(
    client_for, world, skill_tree
) -> None:  # type: ignore[no-untyped-def]
    _populate(world, skill_tree)
    declare(make_members(world.beta, 2, "Petit"), skill_tree["sheets"])
    from coop_formation.extensions import db

    db.session.commit()
    client = client_for(world.hr)
    both = client.get(
        f"/club/carte-des-competences?companies={world.alpha.id}&companies={world.beta.id}"
    ).get_data(as_text=True)
    alpha = client.get(f"/club/carte-des-competences?companies={world.alpha.id}").get_data(
        as_text=True
    )
    beta = client.get(f"/club/carte-des-competences?companies={world.beta.id}").get_data(
        as_text=True
    )
    alpha_supply = _table_cells(alpha, "Tableur")[0]
    both_supply = _table_cells(both, "Tableur")[0]
    assert alpha_supply in _rounded(6)
    assert _table_cells(beta, "Tableur")[0] == "&lt; 5"
    # 8 and 6 are published as multiples of 5: their difference is 0 or 5, never Beta's 2.
    assert both_supply in _rounded(8)
    assert abs(int(both_supply) - int(alpha_supply)) in (0, 5)
