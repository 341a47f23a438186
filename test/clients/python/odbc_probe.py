"""psqlODBC through unixODBC and pyodbc, with Tableau's connection settings.

Scenario tableau: UseDeclareFetch=1;Fetch=2048;BoolsAsChar=0, not autocommit (so the driver sends
BEGIN; declare "SQL_CUR..." cursor with hold for <sql>; fetch 2048 in "SQL_CUR..."), read with fetchmany.
Scenario explicit: the same statements written by hand on an autocommit connection:
BEGIN; DECLARE c CURSOR WITH HOLD FOR <sql>; FETCH 2048 FROM c until empty; CLOSE c; COMMIT.
Scenario dsn: connect through the DSN in $ODBCINI (the Tableau example) and run <sql>.
The url argument is host:port.
"""
import sys

import pyodbc

from common import args, emit, row

TABLEAU = "UseDeclareFetch=1;Fetch=2048;BoolsAsChar=0"


def connection_string(hostport, extras):
    host, port = hostport.rsplit(":", 1)
    return (
        "DRIVER={PostgreSQL Unicode};SERVER=%s;PORT=%s;DATABASE=druid;UID=tester;PWD=;SSLmode=disable;%s"
        % (host, port, extras)
    )


def describe(cur):
    return [[d[0], d[1].__name__] for d in cur.description]


def tableau(hostport, sql):
    conn = pyodbc.connect(connection_string(hostport, TABLEAU), autocommit=False)
    cur = conn.cursor()
    cur.execute(sql)
    columns = describe(cur)
    rows = []
    while True:
        chunk = cur.fetchmany(1000)
        if not chunk:
            break
        rows.extend(row(r) for r in chunk)
    cur.close()
    conn.commit()
    conn.close()
    emit("result", columns=columns, rows=rows)


def explicit(hostport, sql):
    conn = pyodbc.connect(connection_string(hostport, "UseDeclareFetch=0;BoolsAsChar=0"), autocommit=True)
    cur = conn.cursor()
    cur.execute("BEGIN")
    cur.execute("DECLARE tableau_cur CURSOR WITH HOLD FOR " + sql)
    batches = []
    rows = []
    while True:
        cur.execute("FETCH 2048 FROM tableau_cur")
        chunk = cur.fetchall()
        if not chunk:
            break
        batches.append(len(chunk))
        rows.extend(row(r) for r in chunk)
    cur.execute("CLOSE tableau_cur")
    cur.execute("COMMIT")
    conn.close()
    emit("result", batches=batches, rows=rows)


def dsn(name, sql):
    conn = pyodbc.connect("DSN=" + name, autocommit=False)
    cur = conn.cursor()
    cur.execute(sql)
    emit("result", columns=describe(cur), rows=[row(r) for r in cur.fetchall()])
    conn.close()


def main():
    target, scenario, sql = args()
    if scenario == "tableau":
        tableau(target, sql)
    elif scenario == "explicit":
        explicit(target, sql)
    elif scenario == "dsn":
        dsn(target, sql)
    else:
        print("unknown scenario " + scenario, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
