"""SQLAlchemy inspector and Superset's connect-time queries, printed as one JSON document.

Usage: python inspect_probe.py postgresql+psycopg2://user@host:port/db
Runs with SQLAlchemy 1.4 and 2.x (only APIs common to both). Every value is made JSON-safe
(types and anything else JSON cannot hold as their repr()).
"""
import json
import sys

from sqlalchemy import create_engine, inspect, text

TABLES = ["events", "orders", "customers", "Koalas to the Max"]

# Superset's connect-time and per-query statements (docs pg-clients.md section 3).
SUPERSET_QUERIES = [
    "select pg_catalog.version()",
    "select current_schema()",
    "show transaction isolation level",
    "show standard_conforming_strings",
    "SELECT t.oid, typarray\nFROM pg_type t JOIN pg_namespace ns\n    ON typnamespace = ns.oid\nWHERE typname = 'hstore';",
    "SELECT 1",
    "SELECT datname FROM pg_database WHERE datistemplate = false;",
    "select nspname from pg_namespace where lower(nspname)='public'",
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'f'",
]


def safe(value):
    if isinstance(value, dict):
        return {str(k): safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [safe(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def capture(fn):
    try:
        return safe(fn())
    except Exception as error:  # the differential compares failures as well
        return {"error": type(error).__name__, "message": str(error).splitlines()[0]}


def main():
    engine = create_engine(sys.argv[1])
    out = {}
    insp = inspect(engine)
    out["server_version_info"] = safe(engine.dialect.server_version_info)
    out["default_schema_name"] = insp.default_schema_name
    out["get_schema_names"] = capture(insp.get_schema_names)
    out["get_table_names"] = capture(lambda: insp.get_table_names(schema="public"))
    out["get_table_names(default)"] = capture(insp.get_table_names)
    out["get_view_names"] = capture(lambda: insp.get_view_names(schema="public"))
    for table in TABLES:
        out[f"get_columns {table}"] = capture(lambda: insp.get_columns(table, schema="public"))
        out[f"get_pk_constraint {table}"] = capture(lambda: insp.get_pk_constraint(table, schema="public"))
        out[f"get_foreign_keys {table}"] = capture(lambda: insp.get_foreign_keys(table, schema="public"))
        out[f"get_indexes {table}"] = capture(lambda: insp.get_indexes(table, schema="public"))
        out[f"get_unique_constraints {table}"] = capture(lambda: insp.get_unique_constraints(table, schema="public"))
        out[f"get_table_comment {table}"] = capture(lambda: insp.get_table_comment(table, schema="public"))
        out[f"has_table {table}"] = capture(lambda: insp.has_table(table, schema="public"))
        out[f"has_table(default) {table}"] = capture(lambda: insp.has_table(table))
    out["has_table missing"] = capture(lambda: insp.has_table("no_such_table", schema="public"))
    with engine.connect() as conn:
        for sql in SUPERSET_QUERIES:
            out[sql] = capture(lambda: [list(row) for row in conn.execute(text(sql))])
        conn.execute(text('set search_path = "public"'))
        out["search_path after set"] = capture(lambda: [list(row) for row in conn.execute(text("show search_path"))])
    print(json.dumps(out, indent=1, sort_keys=True))


main()
