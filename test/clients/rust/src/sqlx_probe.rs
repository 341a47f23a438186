//! sqlx (runtime API, no compile-time macros): query_as with bound parameters, and its statement
//! cache, which PREPAREs each distinct SQL once per connection (Parse + Describe, then Bind/Execute).

use crate::{emit, Failure};
use futures_util::TryStreamExt;
use serde_json::json;
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::{Column, Connection, Executor, Row, TypeInfo};

const QUERY_AS_SQL: &str = "SELECT country, count(*) AS n FROM events WHERE status = $1 AND device = $2 \
     GROUP BY country ORDER BY n DESC, country LIMIT 3";
const REPEAT_SQL: &str = "SELECT count(*) AS n, CAST(sum(bytes) AS bigint) AS b, max(latency_ms) AS l FROM events WHERE status = $1";
const FETCH_SQL: &str = "SELECT user_id, count(*) AS n FROM events GROUP BY user_id ORDER BY user_id";
const STATUSES: [i64; 4] = [200, 404, 500, 200];

pub async fn run(url: &str, scenario: &str) -> Result<(), Failure> {
    let mut conn = PgConnection::connect(url).await?;
    match scenario {
        "query_as" => query_as(&mut conn).await?,
        "prepared" => prepared(&mut conn).await?,
        other => return Err(format!("unknown scenario {other}").into()),
    }
    conn.close().await?;
    Ok(())
}

async fn query_as(conn: &mut PgConnection) -> Result<(), Failure> {
    let rows: Vec<(Option<String>, i64)> = sqlx::query_as(QUERY_AS_SQL).bind(404_i64).bind("mobile").fetch_all(&mut *conn).await?;
    emit("rows", json!({"rows": rows}));
    let one: (i64,) = sqlx::query_as("SELECT count(*) FROM events WHERE country = $1").bind("Germany").fetch_one(&mut *conn).await?;
    emit("one", json!({"value": one.0}));
    Ok(())
}

/// The same SQL with different binds reuses the cached prepared statement; fetch() streams rows.
async fn prepared(conn: &mut PgConnection) -> Result<(), Failure> {
    for status in STATUSES {
        let row: PgRow = sqlx::query(REPEAT_SQL).bind(status).fetch_one(&mut *conn).await?;
        let names: Vec<String> = row.columns().iter().map(|c| format!("{}:{}", c.name(), c.type_info().name())).collect();
        let (n, b, l): (i64, Option<i64>, Option<f64>) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        emit("row", json!({"status": status, "columns": names, "values": [n, b, l]}));
    }
    emit("cached", json!({"statements": conn.cached_statements_size()}));
    let mut rows = sqlx::query(FETCH_SQL).fetch(&mut *conn);
    let (mut count, mut total, mut last) = (0_u64, 0_i64, None::<String>);
    while let Some(row) = rows.try_next().await? {
        total += row.try_get::<i64, _>(1)?;
        last = row.try_get(0)?;
        count += 1;
    }
    drop(rows);
    emit("fetched", json!({"rows": count, "total": total, "last": last}));
    let simple = conn.execute("SET application_name = 'sqlx-probe'; SELECT 1").await?;
    emit("simple", json!({"affected": simple.rows_affected()}));
    let name: (String,) = sqlx::query_as("SELECT current_setting('application_name')").fetch_one(&mut *conn).await?;
    emit("setting", json!({"application_name": name.0}));
    Ok(())
}
