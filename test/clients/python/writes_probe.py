"""Multi-row writes from Python drivers (docs/writes.md): psycopg2 execute_values and pandas
DataFrame.to_sql(method='multi') through SQLAlchemy, into an existing table with columns
(__time timestamptz, order_id bigint, customer_id bigint, amount double precision, status text).

    writes_probe.py <url> execute_values|to_sql <table> <rows>

Row i (1-based) is the same for both scenarios and both databases; the probe prints the command's
row count, then the table's summary.
"""
import datetime
import sys

from common import emit, row

SUMMARY = "SELECT count(*), sum(order_id), sum(customer_id), sum(amount), count(status), min(__time), max(__time) FROM {table} WHERE order_id >= 3000000"
BASE = datetime.datetime(2026, 8, 1, tzinfo=datetime.timezone.utc)


def rows(n):
    for i in range(1, n + 1):
        yield (BASE + datetime.timedelta(seconds=i * 37, milliseconds=i % 1000), 3_000_000 + i, i % 53, i * 0.125, None if i % 5 == 0 else "p%d" % (i % 7))


def execute_values(url, table, n):
    import psycopg2
    from psycopg2.extras import execute_values as insert

    with psycopg2.connect(url) as conn:
        with conn.cursor() as cur:
            insert(cur, "INSERT INTO %s (__time, order_id, customer_id, amount, status) VALUES %%s" % table, list(rows(n)), page_size=n)
            emit("written", rowcount=cur.rowcount)
        conn.commit()
        with conn.cursor() as cur:
            cur.execute(SUMMARY.format(table=table))
            emit("summary", row=row(cur.fetchone()))


def to_sql(url, table, n):
    import pandas as pd
    import sqlalchemy as sa

    frame = pd.DataFrame(list(rows(n)), columns=["__time", "order_id", "customer_id", "amount", "status"])
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg2://", 1))
    written = frame.to_sql(table, engine, if_exists="append", index=False, method="multi")
    emit("written", rowcount=written)
    with engine.connect() as conn:
        emit("summary", row=row(conn.execute(sa.text(SUMMARY.format(table=table))).fetchone()))


if __name__ == "__main__":
    url, scenario, table, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    {"execute_values": execute_values, "to_sql": to_sql}[scenario](url, table, n)
