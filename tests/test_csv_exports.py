"""Every CSV download of the platform opens right in a French spreadsheet: it starts with a
byte-order mark and no cell that is not a plain number starts like a formula."""

from __future__ import annotations

import csv
import io
import re

from coop_formation.csvfile import BOM

PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def _csv_routes(app) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.endswith(".csv") and not rule.arguments
    )


def test_every_csv_export_has_a_bom_and_no_formula(app, client_for, world, db_session) -> None:  # type: ignore[no-untyped-def]
    world.beta.name = '=HYPERLINK("http://x")'  # shown in the club's company rows
    db_session.commit()
    routes = _csv_routes(app)
    assert len(routes) >= 4
    checked = 0
    for who in (world.member_alpha, world.hr):
        client = client_for(who)
        for route in routes:
            response = client.get(route)
            if response.status_code != 200:
                continue
            assert response.mimetype == "text/csv", route
            text = response.get_data(as_text=True)
            assert text.startswith(BOM), route
            for row in csv.reader(io.StringIO(text[len(BOM) :]), delimiter=";"):
                for cell in row:
                    if cell[:1] in ("=", "+", "-", "@"):
                        assert PLAIN_NUMBER.match(cell), (route, cell)
            checked += 1
    assert checked >= 4  # the wallet for the member, the club's exports for the HR club
