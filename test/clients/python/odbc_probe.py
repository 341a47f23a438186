"""psqlODBC through unixODBC and pyodbc, with Tableau's connection settings.

Scenario tableau: UseDeclareFetch=1;Fetch=2048;BoolsAsChar=0, not autocommit (so the driver sends
BEGIN; declare "SQL_CUR..." cursor with hold for <sql>; fetch 2048 in "SQL_CUR..."), read with fetchmany.
Scenario explicit: the same statements written by hand on an autocommit connection:
BEGIN; DECLARE c CURSOR WITH HOLD FOR <sql>; FETCH 2048 FROM c until empty; CLOSE c; COMMIT.
Scenario catalog: SQLTables and SQLColumns for schema public.
Scenario dsn: connect through the DSN in $ODBCINI (the Tableau example) and run <sql>.
The target argument is [user@]host:port[/database] (a DSN name for scenario dsn).
"""
import sys

import pyodbc

from common import args, emit, row

TABLEAU = "UseDeclareFetch=1;Fetch=2048;BoolsAsChar=0"


def connection_string(target, extras):
    """target is [user@]host:port[/database]; the defaults are the gateway's tester@...:.../druid."""
    user, _, rest = target.rpartition("@")
    hostport, _, database = rest.partition("/")
    host, port = hostport.rsplit(":", 1)
    return "DRIVER={PostgreSQL Unicode};SERVER=%s;PORT=%s;DATABASE=%s;UID=%s;PWD=;SSLmode=disable;%s" % (
        host,
        port,
        database or "druid",
        user or "tester",
        extras,
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


def catalog(hostport):
    """SQLTables and SQLColumns, the ODBC catalog calls Tableau's table list and field list use."""
    conn = pyodbc.connect(connection_string(hostport, TABLEAU), autocommit=False)
    cur = conn.cursor()
    tables = sorted(r.table_name for r in cur.tables(schema="public", tableType="TABLE"))
    emit("tables", names=tables)
    for table in tables:
        cols = [[c.column_name, c.type_name, c.ordinal_position] for c in cur.columns(table=table, schema="public")]
        emit("columns", table=table, columns=cols)
    conn.close()


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
    elif scenario == "catalog":
        catalog(target)
    elif scenario == "dsn":
        dsn(target, sql)
    else:
        print("unknown scenario " + scenario, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
