//! tokio-postgres: every query goes through the extended protocol with binary results; parameters
//! are typed by the server's ParameterDescription.

use crate::{emit, Failure};
use futures_util::{pin_mut, TryStreamExt};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio_postgres::types::Type;
use tokio_postgres::{Client, NoTls, Row};

const PREPARED_SQL: &str = "SELECT country, count(*) AS n, min(__time) AS first_seen FROM events \
     WHERE status = $1 AND device = $2 GROUP BY country ORDER BY n DESC, country LIMIT 3";
const TYPES_SQL: &str = "SELECT status, count(*) AS n, CAST(sum(bytes) AS bigint) AS b, max(latency_ms) AS l, \
     min(__time) AS t, count(*) > 100 AS big, CAST(count(*) AS integer) AS n4 \
     FROM events GROUP BY status ORDER BY status";
const STREAM_SQL: &str = "SELECT user_id, count(*) AS n FROM events WHERE status <> $1 GROUP BY user_id ORDER BY user_id";
/// How long the cancel scenario lets the query run before it cancels it.
const CANCEL_AFTER: Duration = Duration::from_millis(700);

pub async fn run(url: &str, scenario: &str, sql: &str) -> Result<(), Failure> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!("connection: {e}");
        }
    });
    match scenario {
        "prepared" => prepared(&client).await,
        "types" => types(&client).await,
        "stream" => stream(&client).await,
        "cancel" => cancel(&client, sql).await,
        other => Err(format!("unknown scenario {other}").into()),
    }
}

/// Microseconds since the epoch, the exact value a timestamptz carries.
fn micros(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_micros() as i64,
        Err(e) => -(e.duration().as_micros() as i64),
    }
}

/// Decodes each column from its binary form by the type the server described.
fn values(row: &Row) -> Result<Value, Failure> {
    let mut out = Vec::new();
    for (i, column) in row.columns().iter().enumerate() {
        let value = match *column.type_() {
            Type::INT8 => json!(row.try_get::<_, Option<i64>>(i)?),
            Type::INT4 => json!(row.try_get::<_, Option<i32>>(i)?),
            Type::INT2 => json!(row.try_get::<_, Option<i16>>(i)?),
            Type::FLOAT8 => json!(row.try_get::<_, Option<f64>>(i)?),
            Type::FLOAT4 => json!(row.try_get::<_, Option<f32>>(i)?),
            Type::BOOL => json!(row.try_get::<_, Option<bool>>(i)?),
            Type::TEXT | Type::VARCHAR => json!(row.try_get::<_, Option<String>>(i)?),
            Type::TIMESTAMPTZ | Type::TIMESTAMP => json!(row.try_get::<_, Option<SystemTime>>(i)?.map(micros)),
            ref other => return Err(format!("column {} has type {other}, which the probe does not decode", column.name()).into()),
        };
        out.push(value);
    }
    Ok(Value::Array(out))
}

fn columns(row_columns: &[tokio_postgres::Column]) -> Value {
    row_columns.iter().map(|c| json!({"name": c.name(), "type": c.type_().name()})).collect()
}

async fn prepared(client: &Client) -> Result<(), Failure> {
    let statement = client.prepare(PREPARED_SQL).await?;
    let params: Vec<&str> = statement.params().iter().map(Type::name).collect();
    emit("parameters", json!({"types": params}));
    emit("columns", json!({"columns": columns(statement.columns())}));
    for (status, device) in [(404_i64, "mobile"), (200, "desktop")] {
        let rows = client.query(&statement, &[&status, &device]).await?;
        let decoded: Result<Vec<Value>, Failure> = rows.iter().map(values).collect();
        emit("rows", json!({"status": status, "rows": decoded?}));
    }
    Ok(())
}

async fn types(client: &Client) -> Result<(), Failure> {
    let rows = client.query(TYPES_SQL, &[]).await?;
    if let Some(first) = rows.first() {
        emit("columns", json!({"columns": columns(first.columns())}));
    }
    let decoded: Result<Vec<Value>, Failure> = rows.iter().map(values).collect();
    emit("rows", json!({"rows": decoded?}));
    Ok(())
}

/// query_raw yields rows as they arrive instead of collecting them.
async fn stream(client: &Client) -> Result<(), Failure> {
    let rows = client.query_raw(STREAM_SQL, [500_i64]).await?;
    pin_mut!(rows);
    let (mut count, mut total) = (0_u64, 0_i64);
    let (mut first, mut last) = (Value::Null, Value::Null);
    while let Some(row) = rows.try_next().await? {
        let user: Option<String> = row.try_get(0)?;
        total += row.try_get::<_, i64>(1)?;
        if count == 0 {
            first = json!(user);
        }
        last = json!(user);
        count += 1;
    }
    emit("streamed", json!({"rows": count, "total": total, "first": first, "last": last, "affected": rows.rows_affected()}));
    Ok(())
}

/// Streams sql, cancels it through the CancelToken (a CancelRequest on a new connection), then
/// checks that the connection still answers.
async fn cancel(client: &Client, sql: &str) -> Result<(), Failure> {
    let token = client.cancel_token();
    let canceller = tokio::spawn(async move {
        tokio::time::sleep(CANCEL_AFTER).await;
        token.cancel_query(NoTls).await
    });
    let outcome: Result<u64, tokio_postgres::Error> = async {
        let rows = client.query_raw(sql, std::iter::empty::<i64>()).await?;
        pin_mut!(rows);
        let mut n = 0;
        while rows.try_next().await?.is_some() {
            n += 1;
        }
        Ok(n)
    }
    .await;
    canceller.await??;
    match outcome {
        Ok(n) => emit("finished", json!({"rows": n})),
        Err(e) => emit("canceled", json!({"sqlstate": e.code().map(|c| c.code().to_string())})),
    }
    let after: i32 = client.query_one("SELECT 1", &[]).await?.try_get(0)?;
    emit("after", json!({"value": after}));
    Ok(())
}
