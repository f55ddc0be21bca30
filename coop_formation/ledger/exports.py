"""CSV exports of the currency pages: a member's own history, the inter-company clearing."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from flask import Response
from flask_babel import gettext as _

from coop_formation.csvfile import csv_download
from coop_formation.ledger.clearing import ClearingReport
from coop_formation.ledger.labels import KIND_LABELS, STATE_LABELS, reference_label
from coop_formation.ledger.wallet import HistoryLine
from coop_formation.money import format_plain, hours_text


def csv_response(rows: Iterable[list[str]], filename: str) -> Response:
    """A CSV download through the platform's one CSV writer."""
    return csv_download(rows, filename)


def wallet_rows(lines: Iterable[HistoryLine], minor_per_unit: int) -> list[list[str]]:
    """The header and one row per line of a member's history."""
    rows: list[list[str]] = [
        [
            "date",
            "type",
            "etat",
            "sens",
            "montant",
            "effet_sur_solde",
            "contrepartie",
            "reference",
            "message",
        ]
    ]
    for line in lines:
        rows.append(
            [
                line.created_at.strftime("%Y-%m-%d %H:%M"),
                str(KIND_LABELS.get(line.kind, line.kind)),
                str(STATE_LABELS.get(line.state, line.state)),
                _("reçu") if line.incoming else _("donné"),
                format_plain(line.amount, minor_per_unit),
                format_plain(line.effect, minor_per_unit),
                line.counterparty,
                reference_label(line.reference_type, line.reference_id),
                line.memo,
            ]
        )
    return rows


def _signed_hours(value: Decimal) -> str:
    return hours_text(value).replace("\u2212", "-")


def clearing_rows(report: ClearingReport) -> list[list[str]]:
    """Companies (hours and credits taught, received, net), then company pairs."""
    mpu = report.minor_per_unit
    rows = [
        [
            "entreprise",
            "heures_enseignees",
            "heures_recues",
            "solde_heures",
            "credits_enseignes",
            "credits_recus",
            "solde_credits",
        ]
    ]
    for line in report.companies:
        rows.append(
            [
                line.company,
                hours_text(line.taught_hours),
                hours_text(line.received_hours),
                _signed_hours(line.net_hours),
                format_plain(line.taught_amount, mpu),
                format_plain(line.received_amount, mpu),
                format_plain(line.net_amount, mpu),
            ]
        )
    rows.append([])
    rows.append(
        [
            "entreprise_a",
            "entreprise_b",
            "heures_a_vers_b",
            "heures_b_vers_a",
            "solde_heures_a_moins_b",
        ]
    )
    for pair in report.pairs:
        rows.append(
            [
                pair.first,
                pair.second,
                hours_text(pair.first_to_second_hours),
                hours_text(pair.second_to_first_hours),
                _signed_hours(pair.net_hours),
            ]
        )
    return rows
