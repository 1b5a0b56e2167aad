"""Alembic environment: runs on the engine handed over in ``config.attributes['engine']``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine

from app.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    engine: Engine | None = config.attributes.get("engine")
    if engine is None:  # the alembic CLI: take the URL from -x db=URL
        engine = create_engine(context.get_x_argument(as_dictionary=True)["db"])
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        context.run_migrations()


run()
