"""asyncpg (and SQLAlchemy 2's asyncio engine on it): each scenario prints JSON lines to compare with PostgreSQL.

Scenario connect: default connect (asyncpg sends client_encoding 'utf-8', quotes included) and one query.
Scenario prepared: a prepared statement with typed $n parameters, run twice, and its attribute types.
Scenario cursor: a cursor with prefetch inside a transaction (asyncpg's Bind/Execute(maxRows) loop).
Scenario copy: copy_from_query (COPY ... TO STDOUT) in text and CSV.
Scenario types: text arrays, timestamptz and bigint as asyncpg decodes them (binary results).
Scenario cancel: the query given cut by asyncio.wait_for (asyncpg sends a CancelRequest); the connection answers the next query.
Scenario sa_async: SQLAlchemy 2 asyncio engine on asyncpg: the inspector's tables and columns, and a query.
"""
import asyncio
import io
import sys

import asyncpg

from common import args, emit, row

AGGREGATE = "SELECT device, count(*) AS n, max(session_key) AS k FROM events GROUP BY device ORDER BY device"
PREPARED = (
    "SELECT country, count(*) AS n, min(__time) AS first_seen FROM events "
    "WHERE status = $1 AND device = $2 GROUP BY country ORDER BY n DESC, country LIMIT 5"
)
SCAN = "SELECT user_id, bytes FROM events ORDER BY __time, user_id LIMIT 25"
CANCEL_AFTER_S = 1.0


async def scenario(conn, name, url, sql):
    if name == "connect":
        emit("settings", client_encoding=conn.get_settings().client_encoding)
        emit("rows", rows=[row(r) for r in await conn.fetch(AGGREGATE)])
    elif name == "prepared":
        stmt = await conn.prepare(PREPARED)
        emit("parameters", types=[t.name for t in stmt.get_parameters()])
        emit("attributes", names=[a.name for a in stmt.get_attributes()], types=[a.type.name for a in stmt.get_attributes()])
        emit("first", rows=[row(r) for r in await stmt.fetch(404, "mobile")])
        emit("second", rows=[row(r) for r in await stmt.fetch(200, "tablet")])
    elif name == "cursor":
        async with conn.transaction():
            rows = [row(r) async for r in conn.cursor(SCAN, prefetch=4)]
        emit("rows", rows=rows)
    elif name == "copy":
        text, csv = io.BytesIO(), io.BytesIO()
        status = await conn.copy_from_query(AGGREGATE, output=text)
        await conn.copy_from_query(AGGREGATE, output=csv, format="csv", header=True)
        emit("copy", status=status, text=text.getvalue().decode(), csv=csv.getvalue().decode())
    elif name == "types":
        record = await conn.fetchrow(
            "SELECT array_agg(DISTINCT device) AS devices, min(__time) AS first_seen, max(__time) AS last_seen, count(*) AS n FROM events"
        )
        emit("types", values=row([record["devices"], record["first_seen"], record["last_seen"], record["n"]]))
    elif name == "cancel":
        try:
            await asyncio.wait_for(conn.fetch(sql), CANCEL_AFTER_S)
            emit("cancel", cancelled=False)
        except asyncio.TimeoutError:
            emit("cancel", cancelled=True)
        emit("after", value=await conn.fetchval("SELECT 1"))
    elif name == "sa_async":
        await sa_async(url)
    else:
        print("unknown scenario " + name, file=sys.stderr)
        sys.exit(2)


async def sa_async(url):
    from sqlalchemy import inspect, text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url.replace("postgresql://", "postgresql+asyncpg://", 1))
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        columns = await conn.run_sync(lambda sync: inspect(sync).get_columns("orders"))
        emit("tables", names=sorted(tables))
        emit("columns", columns=[[c["name"], str(c["type"]), c["nullable"]] for c in columns])
        result = await conn.execute(text("SELECT device, count(*) AS n FROM events WHERE status = :s GROUP BY device ORDER BY device"), {"s": 404})
        emit("rows", rows=[row(r) for r in result.fetchall()])
    await engine.dispose()


async def main():
    url, name, sql = args()
    if name == "sa_async":
        await scenario(None, name, url, "")
        return
    conn = await asyncpg.connect(url)
    try:
        await scenario(conn, name, url, sql)
    finally:
        await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
