"""Alembic environment: kneelog always hands over an open connection (see kneelog.store.migrate)."""

from alembic import context

from kneelog.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
