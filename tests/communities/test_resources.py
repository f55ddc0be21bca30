"""Shared resources: links http(s) only, safe uploads (size, type, magic bytes), safe serving."""

from __future__ import annotations

import io
import zipfile

import pytest

from coop_formation.communities.models import CommunityResource
from coop_formation.communities.uploads import MAX_UPLOAD_BYTES
from coop_formation.extensions import db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _upload(client, community, name, content, title="Doc"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/communautes/{community.id}/ressources/document",
        data={"title": title, "document": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("guide.pdf", PDF),
        ("schema.png", PNG),
        ("note.txt", "Bonjour é".encode()),
        ("f.docx", _docx()),
    ],
)
def test_member_uploads_allowed_document(client_for, world, community, name, content):  # type: ignore[no-untyped-def]
    response = _upload(client_for(world.member_beta), community, name, content)
    assert response.status_code == 302
    resource = db.session.query(CommunityResource).filter_by(filename=name).one()
    assert resource.storage_key and resource.storage_key not in name
    assert resource.size_bytes == len(content)


def test_too_large_file_is_refused_in_french(client_for, nothing_written, world, community):  # type: ignore[no-untyped-def]
    big = b"%PDF-" + b"0" * MAX_UPLOAD_BYTES
    browser = client_for(world.member_beta)
    with nothing_written():
        response = _upload(browser, community, "gros.pdf", big)
    assert response.status_code == 422
    assert "5 Mo au plus" in response.get_data(as_text=True)
    assert db.session.query(CommunityResource).count() == 0


def test_far_too_large_request_gets_french_413(client_for, nothing_written, world, community):  # type: ignore[no-untyped-def]
    browser = client_for(world.member_beta)
    with nothing_written():
        response = _upload(browser, community, "g.pdf", b"%PDF-" + b"0" * (7 << 20))
    assert response.status_code == 413
    assert "taille autorisée" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>", "pas accepté"),
        ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "pas accepté"),
        ("faux.pdf", b"<html>not a pdf</html>", "ne correspond pas"),
        ("faux.png", PDF, "ne correspond pas"),
        ("page.txt", b"<!DOCTYPE html><html></html>", "ne correspond pas"),
        ("binaire.txt", b"\x00\x01\x02", "ne correspond pas"),
        ("faux.docx", b"PK\x03\x04 not really", "ne correspond pas"),
        ("sans-extension", PDF, "pas accepté"),
    ],
)
def test_wrong_type_or_magic_bytes_is_refused(  # type: ignore[no-untyped-def]
    client_for, nothing_written, world, community, name, content, message
):
    browser = client_for(world.member_beta)
    with nothing_written():
        response = _upload(browser, community, name, content)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.query(CommunityResource).count() == 0


def test_non_member_cannot_upload_or_share_link(client_for, nothing_written, world, community):  # type: ignore[no-untyped-def]
    client = client_for(world.correspondent_beta)
    with nothing_written():
        assert _upload(client, community, "guide.pdf", PDF).status_code == 403
        response = client.post(
            f"/communautes/{community.id}/ressources/lien",
            data={"title": "t", "url": "https://a.fr"},
        )
    assert response.status_code == 403


def test_download_headers_force_attachment_and_nosniff(client_for, world, community):  # type: ignore[no-untyped-def]
    _upload(client_for(world.member_beta), community, "guide.pdf", PDF)
    resource = db.session.query(CommunityResource).one()
    # any signed-in member of the cluster may download, member of the community or not
    response = client_for(world.correspondent_alpha).get(f"/communautes/documents/{resource.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "guide.pdf" in response.headers["Content-Disposition"]


def test_download_refused_to_other_cluster_and_anonymous(client_for, client, world, community):  # type: ignore[no-untyped-def]
    from tests.factories import CharterFactory, ClusterFactory, CompanyFactory, MemberFactory

    _upload(client_for(world.member_beta), community, "guide.pdf", PDF)
    resource = db.session.query(CommunityResource).one()
    cluster = ClusterFactory()
    CharterFactory(cluster=cluster)
    stranger = MemberFactory(company=CompanyFactory(cluster=cluster), email="s@o.test")
    db.session.commit()
    assert client_for(stranger).get(f"/communautes/documents/{resource.id}").status_code == 404
    assert client.get(f"/communautes/documents/{resource.id}").status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "ftp://a.fr/x",
        "file:///etc/passwd",
        "http://",
    ],
)
def test_link_must_be_http_or_https(client_for, nothing_written, world, community, url):  # type: ignore[no-untyped-def]
    browser = client_for(world.member_beta)
    with nothing_written():
        response = browser.post(
            f"/communautes/{community.id}/ressources/lien", data={"title": "Lien", "url": url}
        )
    assert response.status_code == 422
    assert "http:// ou https://" in response.get_data(as_text=True)


def test_shared_link_appears_in_the_searchable_library(client_for, world, community):  # type: ignore[no-untyped-def]
    client = client_for(world.member_beta)
    client.post(
        f"/communautes/{community.id}/ressources/lien",
        data={"title": "Formules matricielles", "url": "https://exemple.fr/formules"},
    )
    _upload(client, community, "guide.pdf", PDF, title="Guide de démarrage")
    reader = client_for(world.correspondent_alpha)
    found = reader.get("/communautes/ressources?q=matricielles").get_data(as_text=True)
    assert "Formules matricielles" in found and "Guide de démarrage" not in found
    by_community = reader.get("/communautes/ressources?q=tableurs").get_data(as_text=True)
    assert "Formules matricielles" in by_community and "Guide de démarrage" in by_community


def test_author_removes_resource_and_its_file(client_for, nothing_written, world, community, app):  # type: ignore[no-untyped-def]
    from coop_formation.communities.uploads import path_of

    client = client_for(world.member_beta)
    _upload(client, community, "guide.pdf", PDF)
    resource = db.session.query(CommunityResource).one()
    path = path_of(app.instance_path, resource.storage_key)
    assert path.is_file()
    other = client_for(world.other_alpha)
    other.post(f"/communautes/{community.id}/rejoindre")
    with nothing_written():
        refused = other.post(f"/communautes/{community.id}/ressources/{resource.id}/supprimer")
    assert refused.status_code == 403
    assert path.is_file()
    client.post(f"/communautes/{community.id}/ressources/{resource.id}/supprimer")
    assert db.session.query(CommunityResource).count() == 0
    assert not path.exists()
