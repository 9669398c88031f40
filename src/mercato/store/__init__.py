"""store: SQLAlchemy models, engine/session set-up, migrations, and read/write helpers.

May touch: the database. Knows nothing of text parsing or of the web.
"""

from mercato.store.db import Database, open_db

__all__ = ["Database", "open_db"]
