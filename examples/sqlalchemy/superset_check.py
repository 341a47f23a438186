"""Checks a polaris-pg connection the way Superset uses it: SQLAlchemy 1.4 + psycopg2.

Run: python superset_check.py "postgresql+psycopg2://USER:PASSWORD@HOST:5432/PROJECT?sslmode=require"
Prints the server version, the tables and columns Superset's dataset editor lists, and a chart-style
aggregation read with pandas.
"""
import sys

import pandas
from sqlalchemy import create_engine, inspect

uri = sys.argv[1] if len(sys.argv) > 1 else "postgresql+psycopg2://druid@localhost:5432/druid"
engine = create_engine(uri, pool_pre_ping=True)
with engine.connect() as conn:
    print("server_version|%s" % ".".join(str(p) for p in engine.dialect.server_version_info))

inspector = inspect(engine)
for table in sorted(inspector.get_table_names(schema="public")):
    columns = ", ".join("%s %s" % (c["name"], c["type"]) for c in inspector.get_columns(table, schema="public"))
    print("table|%s|%s" % (table, columns))

frame = pandas.read_sql(
    "SELECT device, count(*) AS views FROM events GROUP BY device ORDER BY device",
    engine,
)
for device, views in frame.itertuples(index=False):
    print("views|%s|%d" % (device, views))
engine.dispose()
