"""pgcli's completion-refresh queries, run by pgcli's own PGExecute (psycopg 3: queries without
parameters as simple Query, with parameters over the extended protocol), printed as JSON.

Usage: /usr/bin/python3 pgcli_probe.py HOST PORT USER DATABASE (Debian's pgcli package).
"""
import json
import sys

from pgcli.pgexecute import PGExecute


def rows(items):
    out = []
    for item in items:
        if hasattr(item, "_asdict"):
            item = item._asdict()
        elif hasattr(item, "__dict__"):
            item = vars(item)
        out.append(json.loads(json.dumps(item, default=repr)))
    return out


def main():
    host, port, user, database = sys.argv[1:5]
    executor = PGExecute(database=database, user=user, password=None, host=host, port=int(port), dsn=None)
    out = {
        "search_path": rows(executor.search_path()),
        "schemata": rows(executor.schemata()),
        "tables": rows(executor.tables()),
        "views": rows(executor.views()),
        "table_columns": rows(executor.table_columns()),
        "view_columns": rows(executor.view_columns()),
        "functions": rows(executor.functions()),
        "datatypes": rows(executor.datatypes()),
        "foreignkeys": rows(executor.foreignkeys()),
        "databases": rows(executor.databases()),
    }
    print(json.dumps(out))


main()
