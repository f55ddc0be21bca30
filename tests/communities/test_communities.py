"""Communities: who may read, join, post, moderate; posts escaped; other clusters see nothing."""

from __future__ import annotations

import pytest

from coop_formation.communities.models import Community, CommunityPost
from coop_formation.extensions import db
from tests.factories import CharterFactory, ClusterFactory, CompanyFactory, MemberFactory


@pytest.fixture()
def stranger(world):  # type: ignore[no-untyped-def]
    """A member of another cluster."""
    cluster = ClusterFactory()
    CharterFactory(cluster=cluster)
    member = MemberFactory(company=CompanyFactory(cluster=cluster), email="x@other.test")
    db.session.commit()
    return member


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/communautes"),
        ("get", "/communautes/nouvelle"),
        ("get", "/communautes/{id}"),
        ("post", "/communautes/{id}/rejoindre"),
        ("post", "/communautes/{id}/messages"),
        ("get", "/communautes/{id}/membres"),
        ("get", "/communautes/{id}/partager"),
        ("post", "/communautes/{id}/ressources/lien"),
        ("post", "/communautes/{id}/ressources/document"),
        ("get", "/communautes/agenda"),
        ("get", "/communautes/ressources"),
        ("get", "/communautes/documents/1"),
        ("get", "/imprimer/catalogue"),
        ("get", "/imprimer/formulaires/besoin"),
        ("get", "/imprimer/formulaires/offre"),
    ],
)
def test_anonymous_visitor_is_sent_to_login(client, community, method, path):  # type: ignore[no-untyped-def]
    response = getattr(client, method)(path.format(id=community.id))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/communautes/{id}"),
        ("post", "/communautes/{id}/rejoindre"),
        ("post", "/communautes/{id}/messages"),
        ("get", "/communautes/{id}/membres"),
        ("get", "/communautes/{id}/partager"),
        ("post", "/communautes/{id}/ressources/lien"),
    ],
)
def test_member_of_another_cluster_gets_not_found(  # type: ignore[no-untyped-def]
    client_for, nothing_written, community, stranger, method, path
):
    browser = client_for(stranger)
    with nothing_written():
        response = getattr(browser, method)(
            path.format(id=community.id),
            data={"body": "hello", "title": "t", "url": "https://a.b"},
        )
    assert response.status_code == 404


def test_other_cluster_list_does_not_show_the_community(client_for, community, stranger):  # type: ignore[no-untyped-def]
    assert "Tableurs" not in client_for(stranger).get("/communautes").get_data(as_text=True)


def test_member_creates_a_community_and_becomes_its_moderator(client_for, world):  # type: ignore[no-untyped-def]
    client = client_for(world.other_alpha)
    response = client.post("/communautes/nouvelle", data={"name": "Soudure", "description": "TIG"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Soudure" in page and "Modifier" in page and "Quitter la communauté" in page


def test_create_without_name_rerenders_in_french(client_for, nothing_written, world):  # type: ignore[no-untyped-def]
    browser = client_for(world.other_alpha)
    with nothing_written():
        response = browser.post("/communautes/nouvelle", data={"name": " "})
    assert response.status_code == 422
    assert "Indiquez un nom." in response.get_data(as_text=True)


def test_cluster_member_reads_but_non_member_cannot_post(  # type: ignore[no-untyped-def]
    client_for, nothing_written, world, community
):
    client = client_for(world.correspondent_beta)
    assert client.get(f"/communautes/{community.id}").status_code == 200
    with nothing_written():
        response = client.post(f"/communautes/{community.id}/messages", data={"body": "x"})
    assert response.status_code == 403
    assert client.get(f"/communautes/{community.id}/membres").status_code == 403
    assert client.get(f"/communautes/{community.id}/partager").status_code == 403


def test_join_then_post_then_leave(client_for, nothing_written, world, community):  # type: ignore[no-untyped-def]
    client = client_for(world.other_alpha)
    client.post(f"/communautes/{community.id}/rejoindre")
    db.session.expire_all()
    assert db.session.get(Community, community.id).members_count == 3
    response = client.post(f"/communautes/{community.id}/messages", data={"body": "Bonjour"})
    assert response.status_code == 302
    client.post(f"/communautes/{community.id}/quitter")
    with nothing_written():
        response = client.post(f"/communautes/{community.id}/messages", data={"body": "x"})
    assert response.status_code == 403


def test_members_list_shows_names_only_to_members(client_for, world, community):  # type: ignore[no-untyped-def]
    page = client_for(world.member_beta).get(f"/communautes/{community.id}/membres")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Alice Martin" in text and "Bruno Roux" in text
    assert "membre@alpha.test" not in text


def test_post_is_escaped(client_for, world, community):  # type: ignore[no-untyped-def]
    client = client_for(world.member_beta)
    client.post(
        f"/communautes/{community.id}/messages", data={"body": "<script>alert(1)</script><b>x</b>"}
    )
    text = client.get(f"/communautes/{community.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_empty_post_is_refused_in_french(client_for, nothing_written, world, community):  # type: ignore[no-untyped-def]
    browser = client_for(world.member_beta)
    with nothing_written():
        response = browser.post(f"/communautes/{community.id}/messages", data={"body": "   "})
    assert response.status_code == 422
    assert "Écrivez un message." in response.get_data(as_text=True)


def _post(community, author, body="Question"):  # type: ignore[no-untyped-def]
    post = CommunityPost(community_id=community.id, author_id=author.id, body=body)
    db.session.add(post)
    db.session.commit()
    return post


def test_reply_is_shown_under_its_thread(client_for, world, community):  # type: ignore[no-untyped-def]
    post = _post(community, world.member_alpha)
    client = client_for(world.member_beta)
    client.post(
        f"/communautes/{community.id}/messages", data={"body": "Ma réponse", "parent_id": post.id}
    )
    reply = db.session.query(CommunityPost).filter_by(parent_id=post.id).one()
    assert reply.body == "Ma réponse"
    assert "Ma réponse" in client.get(f"/communautes/{community.id}").get_data(as_text=True)


def test_only_author_edits_or_deletes_a_post(client_for, nothing_written, world, community):  # type: ignore[no-untyped-def]
    post = _post(community, world.member_beta)
    base = f"/communautes/{community.id}/messages/{post.id}"
    moderator = client_for(world.member_alpha)
    with nothing_written():
        assert moderator.post(f"{base}/modifier", data={"body": "pirate"}).status_code == 403
        assert moderator.post(f"{base}/supprimer").status_code == 403
    db.session.expire_all()
    assert db.session.get(CommunityPost, post.id).body == "Question"
    author = client_for(world.member_beta)
    assert author.post(f"{base}/modifier", data={"body": "corrigé"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(CommunityPost, post.id).body == "corrigé"
    author.post(f"{base}/supprimer")
    db.session.expire_all()
    assert db.session.get(CommunityPost, post.id).deleted


def test_moderator_hides_a_post_and_others_no_longer_see_it(  # type: ignore[no-untyped-def]
    client_for, nothing_written, world, community
):
    post = _post(community, world.member_beta, body="Message à masquer")
    base = f"/communautes/{community.id}/messages/{post.id}"
    author = client_for(world.member_beta)
    with nothing_written():
        assert author.post(f"{base}/masquer").status_code == 403
    db.session.expire_all()
    assert not db.session.get(CommunityPost, post.id).hidden
    assert (
        client_for(world.member_alpha).post(f"{base}/masquer", data={"hidden": "1"}).status_code
        == 302
    )
    reader = client_for(world.correspondent_alpha)
    assert "Message à masquer" not in reader.get(f"/communautes/{community.id}").get_data(
        as_text=True
    )
    # its author still sees it, marked as hidden
    own = client_for(world.member_beta).get(f"/communautes/{community.id}").get_data(as_text=True)
    assert "Message à masquer" in own and "masqué" in own


def test_list_search_is_accent_insensitive(client_for, world, community):  # type: ignore[no-untyped-def]
    client = client_for(world.member_alpha)
    client.post("/communautes/nouvelle", data={"name": "Électricité", "description": "armoires"})
    text = client.get("/communautes?q=electricite").get_data(as_text=True)
    assert "Électricité" in text and "Tableurs" not in text
