"""asyncpg against polaris-pg: a connection pool, a prepared statement with parameters and a cursor.

Usage: PGURL="postgresql://USER:PASSWORD@HOST:5432/PROJECT?sslmode=require" python report.py
Prints one line per result row, fields separated by "|".
"""
import asyncio
import os

import asyncpg

TOP_COUNTRIES = """
    SELECT country, count(*) AS views, max(latency_ms) AS slowest
    FROM events
    WHERE status = $1 AND device = $2
    GROUP BY country
    ORDER BY views DESC, country
    LIMIT $3
"""
DAILY = "SELECT date_trunc('day', __time) AS day, count(*) AS views FROM events GROUP BY 1 ORDER BY 1"


async def main() -> None:
    # asyncpg's defaults work as they are; the pool is what a FastAPI app keeps for its lifetime.
    pool = await asyncpg.create_pool(os.environ["PGURL"], min_size=1, max_size=2)
    async with pool.acquire() as conn:
        users = await conn.fetchval("SELECT count(DISTINCT user_id) FROM events")
        print(f"users|{users}")
        top = await conn.prepare(TOP_COUNTRIES)
        for status in (200, 404):
            for row in await top.fetch(status, "mobile", 3):
                print(f"top|{status}|{row['country']}|{row['views']}|{row['slowest']}")
        # A cursor reads a large result in batches; asyncpg cursors need a transaction.
        async with conn.transaction():
            async for row in conn.cursor(DAILY, prefetch=50):
                print(f"daily|{row['day'].isoformat()}|{row['views']}")
    await pool.close()


if __name__ == "__main__":
    asyncio.run(main())
