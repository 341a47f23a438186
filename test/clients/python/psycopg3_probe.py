"""psycopg 3: server-side parameters (extended protocol), binary results and a prepared statement.

Scenario params: one grouped query with %s parameters (int, text), text results.
Scenario timestamp: timestamptz parameters (psycopg sends OID 1184) compared with __time.
Scenario binary: the same query with binary=True results, and with prepare=True run 3 times.
"""
import datetime
import sys

import psycopg

from common import args, emit, row

SQL = (
    "SELECT country, count(*) AS n, sum(bytes) AS b, min(__time) AS first_seen FROM events "
    "WHERE status = %s AND device = %s GROUP BY country ORDER BY n DESC, country LIMIT 5"
)
PARAMS = (404, "mobile")
TIME_SQL = "SELECT count(*) AS n, min(__time) AS first_seen FROM events WHERE __time >= %s AND __time < %s"
TIME_PARAMS = (
    datetime.datetime(2026, 1, 10, tzinfo=datetime.timezone.utc),
    datetime.datetime(2026, 1, 11, 12, 30, tzinfo=datetime.timezone.utc),
)


def main():
    url, scenario, _ = args()
    with psycopg.connect(url, autocommit=True) as conn:
        if scenario == "params":
            with conn.cursor() as cur:
                cur.execute(SQL, PARAMS)
                emit("types", types=[d.type_code for d in cur.description])
                emit("rows", rows=[row(r) for r in cur.fetchall()])
        elif scenario == "timestamp":
            emit("rows", rows=[row(r) for r in conn.execute(TIME_SQL, TIME_PARAMS).fetchall()])
        elif scenario == "binary":
            with conn.cursor(binary=True) as cur:
                cur.execute(SQL, PARAMS)
                emit("rows", rows=[row(r) for r in cur.fetchall()])
                emit("format", binary=cur.pgresult.fformat(1) == 1)
            prepared = []
            for _ in range(3):
                prepared.append([row(r) for r in conn.execute(SQL, PARAMS, prepare=True).fetchall()])
            emit("prepared", same=all(p == prepared[0] for p in prepared), rows=prepared[0])
        else:
            print("unknown scenario " + scenario, file=sys.stderr)
            sys.exit(2)


if __name__ == "__main__":
    main()
