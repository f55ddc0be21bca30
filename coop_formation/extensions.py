"""Flask extensions, created here and configured in :func:`coop_formation.create_app`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import Session

from coop_formation.db import Base

if TYPE_CHECKING:

    class ScopedSession(Session):
        """What ``db.session`` offers: the Session's methods, plus the scope's ``remove``."""

        def remove(self) -> None: ...


class Database(SQLAlchemy):
    """Flask-SQLAlchemy, typed for the way the code uses it."""

    if TYPE_CHECKING:
        # ``db.session`` is a scoped_session that proxies every method of the Session it
        # holds: services are typed against ``Session`` and receive it.
        session: ScopedSession  # type: ignore[assignment]


db = Database(model_class=Base)

if TYPE_CHECKING:
    #: The declarative base every model derives from (``db.Model`` at run time).
    Model = Base
else:
    Model = db.Model
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
