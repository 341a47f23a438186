"""Superset's path: SQLAlchemy (1.4 or 2.x, whichever the venv has) over psycopg2, plus pandas.

Scenarios: connect (Dialect.initialize and a pre-ping), inspect (the Inspector calls Superset makes),
pandas (pandas.read_sql of <sql>), named (a psycopg2 named server-side cursor read with fetchmany).
"""
import sys

import sqlalchemy
from sqlalchemy import create_engine, inspect, text

from common import args, emit, row

TABLES = ["customers", "events", "orders", "Koalas to the Max"]


def sa_url(url):
    return url.replace("postgresql://", "postgresql+psycopg2://", 1)


def connect(engine):
    with engine.connect() as conn:
        one = conn.execute(text("SELECT 1")).scalar()
        dialect = engine.dialect
        emit(
            "connect",
            sqlalchemy=sqlalchemy.__version__,
            server_version_info=list(dialect.server_version_info),
            default_schema_name=dialect.default_schema_name,
            isolation_level=conn.get_isolation_level(),
            standard_conforming_strings=dialect._backslash_escapes is False,
            one=one,
        )


def inspect_all(engine):
    insp = inspect(engine)
    emit("schemas", names=sorted(n for n in insp.get_schema_names() if n == "public"))
    emit("tables", names=sorted(insp.get_table_names(schema="public")))
    emit("views", names=sorted(insp.get_view_names(schema="public")))
    for table in TABLES:
        cols = insp.get_columns(table, schema="public")
        emit("columns", table=table, columns=[[c["name"], str(c["type"]), c["nullable"]] for c in cols])
    emit("pk", table="events", pk=insp.get_pk_constraint("events", schema="public")["constrained_columns"])
    emit("has_table", events=insp.has_table("events", schema="public"), nosuch=insp.has_table("nosuch", schema="public"))


def pandas_sql(engine, sql):
    import pandas

    frame = pandas.read_sql(sql, engine)
    emit("frame", columns=list(frame.columns), dtypes=[str(t) for t in frame.dtypes], rows=[row(r) for r in frame.itertuples(index=False)])


def named(url, sql):
    import psycopg2

    conn = psycopg2.connect(url)
    cur = conn.cursor(name="polaris_named")
    cur.execute(sql)
    batches = 0
    rows = []
    while True:
        chunk = cur.fetchmany(500)
        if not chunk:
            break
        batches += 1
        rows.extend(row(r) for r in chunk)
    cur.close()
    conn.commit()
    conn.close()
    emit("named", batches=batches, rows=rows)


def main():
    url, scenario, sql = args()
    if scenario == "named":
        named(url, sql)
        return
    engine = create_engine(sa_url(url))
    if scenario == "connect":
        connect(engine)
    elif scenario == "inspect":
        inspect_all(engine)
    elif scenario == "pandas":
        pandas_sql(engine, sql)
    else:
        print("unknown scenario " + scenario, file=sys.stderr)
        sys.exit(2)
    engine.dispose()


if __name__ == "__main__":
    main()
