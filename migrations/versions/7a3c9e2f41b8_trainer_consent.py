"""A named trainer's consent on a session (pending / accepted / declined).

Existing sessions count as accepted (their trainers taught under the former rule).

Revision ID: 7a3c9e2f41b8
Revises: 1005cda1e102
Create Date: 2026-12-04 20:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "7a3c9e2f41b8"
down_revision = "1005cda1e102"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "trainer_consent",
                sa.Enum(
                    "pending",
                    "accepted",
                    "declined",
                    name="trainer_consent",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                server_default="accepted",
                nullable=False,
            )
        )


def downgrade():
    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_training_sessions_trainer_consent"), type_="check")
        batch_op.drop_column("trainer_consent")
