"""Marshmallow schemas for the API: balances and transfers as integers of minor units."""

from __future__ import annotations

from marshmallow import Schema, fields


class BalanceSchema(Schema):
    posted = fields.Integer(required=True)
    pending_debits = fields.Integer(required=True)
    pending_credits = fields.Integer(required=True)
    available = fields.Integer(required=True)


class TransferSchema(Schema):
    """A transfer as seen by its owner; ``hash`` lets clients keep their own audit trail."""

    id = fields.Integer()
    debit_account_id = fields.Integer()
    credit_account_id = fields.Integer()
    amount = fields.Integer()
    kind = fields.String()
    state = fields.Function(lambda t: getattr(t.state, "value", t.state))
    reference_type = fields.String(allow_none=True)
    reference_id = fields.Integer(allow_none=True)
    pending_id = fields.Integer(allow_none=True)
    reversal_of_id = fields.Integer(allow_none=True)
    memo = fields.String()
    created_at = fields.DateTime()
    hash = fields.String()
