"""pg8000 (pure Python): the native API with named parameters, the DB-API with %s parameters, and a
prepared statement run twice. Prints JSON lines to compare with PostgreSQL.
"""
import sys

import pg8000.dbapi
import pg8000.native

from common import args, emit, row

NAMED = (
    "SELECT country, count(*) AS n, min(__time) AS first_seen FROM events "
    "WHERE status = :status AND device = :device GROUP BY country ORDER BY n DESC, country LIMIT 5"
)
DBAPI = "SELECT device, count(*) AS n FROM events WHERE status = %s GROUP BY device ORDER BY device"
PREPARED = "SELECT user_id, bytes FROM events WHERE bytes > :floor ORDER BY __time, user_id LIMIT 5"


def connect_args(url):
    # postgresql://user[:password]@host:port/database[?...]
    rest = url.split("://", 1)[1].split("?", 1)[0]
    creds, location = rest.rsplit("@", 1)
    user, _, password = creds.partition(":")
    hostport, database = location.split("/", 1)
    host, port = hostport.rsplit(":", 1)
    return dict(user=user, password=password or None, host=host, port=int(port), database=database)


def main():
    url, scenario, _ = args()
    params = connect_args(url)
    if scenario == "native":
        conn = pg8000.native.Connection(**params)
        emit("rows", rows=[row(r) for r in conn.run(NAMED, status=404, device="mobile")])
        emit("columns", names=[c["name"] for c in conn.columns], types=[c["type_oid"] for c in conn.columns])
        stmt = conn.prepare(PREPARED)
        emit("first", rows=[row(r) for r in stmt.run(floor=1000)])
        emit("second", rows=[row(r) for r in stmt.run(floor=100000)])
        stmt.close()
        conn.close()
    elif scenario == "dbapi":
        conn = pg8000.dbapi.connect(**params)
        cur = conn.cursor()
        cur.execute(DBAPI, (404,))
        emit("rows", rows=[row(r) for r in cur.fetchall()])
        conn.rollback()
        conn.close()
    else:
        print("unknown scenario " + scenario, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
