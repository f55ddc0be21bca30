"""``POST /api/v1/verify`` and ``GET /api/v1/openapi.json``: every accepted input form, and
bad input answered as ``application/problem+json`` 4xx, never a 500."""

from __future__ import annotations

import io
import json

import pytest

from tests.recognition.conftest import document_of

PROBLEM = "application/problem+json"
PREFIX = "https://coop-formation.example/problems/"


def post(client, data, content_type):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/verify", data=data, content_type=content_type)


def test_raw_json_ld_and_wrapped_credential_and_ld_json_type(client, credential):
    raw = post(client, credential.document, "application/json").get_json()
    wrapped = post(client, json.dumps({"credential": credential.document}), "application/json")
    ld = post(client, credential.document, "application/ld+json").get_json()
    assert raw["valid"] and wrapped.get_json()["valid"] and ld["valid"]
    assert raw["issuer"]["id"] == "did:web:localhost"
    assert raw["credential_id"] == document_of(credential)["id"]


def test_jwt_as_text_and_vc_jwt_and_wrapped(client, credential):
    assert post(client, credential.jwt, "text/plain").get_json()["valid"]
    assert post(client, credential.jwt, "application/vc+jwt").get_json()["valid"]
    wrapped = json.dumps({"credential": credential.jwt})
    assert post(client, wrapped, "application/json").get_json()["valid"]


def test_raw_image_body(client, credential):
    png = client.get(f"/credentials/{credential.public_id}.png").data
    assert post(client, png, "image/png").get_json()["valid"]


@pytest.mark.parametrize(
    ("data", "content_type", "status", "slug"),
    [
        ("{not json", "application/json", 400, "malformed-json"),
        ('{"credential": "a.b.c", "credential": {}}', "application/json", 400, "malformed-json"),
        ("[" * 5000 + "]" * 5000, "application/json", 400, "malformed-json"),
        ("", "application/json", 400, "empty-body"),
        ("[1, 2]", "application/json", 422, "unusable-input"),
        ('{"credential": 42}', "application/json", 422, "unusable-input"),
        ('{"hello": "world"}', "application/json", 422, "unusable-input"),
        ("bonjour", "text/plain", 422, "unusable-input"),
        ("a.b.c", "text/plain", 422, "unusable-input"),
        (b"\xff\xfe\x00", "text/plain", 400, "bad-encoding"),
        ("<x/>", "application/xml", 415, "unsupported-media-type"),
        (b"\x89PNG\r\n\x1a\nbroken", "image/png", 422, "unusable-input"),
        (b"<svg><!DOCTYPE x></svg>", "image/svg+xml", 422, "unusable-input"),
        ('{"url": "http://example.org/b.json"}', "application/json", 422, "unusable-input"),
        ('{"url": 3}', "application/json", 422, "unusable-input"),
    ],
)
def test_bad_input_is_a_problem_json_4xx(client, nothing_written, data, content_type, status, slug):
    with nothing_written():
        response = post(client, data, content_type)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert body["type"] == PREFIX + slug and body["status"] == status and body["title"]


def test_multipart_without_file_and_oversized_upload(client, db_session):
    missing = client.post("/api/v1/verify", data={}, content_type="multipart/form-data")
    assert missing.status_code == 400 and missing.mimetype == PROBLEM
    big = client.post(
        "/api/v1/verify",
        data={"file": (io.BytesIO(b"{" + b" " * (3 * 1024 * 1024)), "big.json")},
        content_type="multipart/form-data",
    )
    assert big.status_code == 413 and big.mimetype == PROBLEM


def test_wrong_alg_and_tampered_structure_are_invalid_not_errors(client, credential):
    import base64

    payload = credential.jwt.split(".")[1]

    none_head = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    response = post(client, f"{none_head}.{payload}.", "text/plain")
    assert response.status_code == 200 and response.get_json()["valid"] is False
    empty = post(client, "eyJhbGciOiJub25lIn0.e30.", "text/plain")
    assert empty.status_code == 200 and empty.get_json()["valid"] is False
    document = document_of(credential)
    document["credentialSubject"]["teamName"] = "ajout non signé"
    body = post(client, json.dumps(document), "application/json").get_json()
    assert body["valid"] is False
    assert {c["name"]: c["ok"] for c in body["checks"]}["structure"] is False


def test_get_is_not_allowed(client, db_session):
    response = client.get("/api/v1/verify")
    assert response.status_code == 405 and response.mimetype == PROBLEM


def test_openapi_describes_verify(client, db_session):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/verify"]["post"]
    assert document["openapi"].startswith("3.")
    assert {"application/json", "text/plain", "multipart/form-data"} <= set(
        operation["requestBody"]["content"]
    )
    assert {"200", "400", "415", "422"} <= set(operation["responses"])
    assert document["components"]["schemas"]["Report"]["required"] == [
        "valid",
        "checks",
        "issuer",
        "issuer_known",
    ]
