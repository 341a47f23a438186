//! tokio-postgres against polaris-pg: a prepared statement with parameters (binary results) and a
//! streamed result read row by row with query_raw.
//!
//! Usage: PGURL="postgresql://USER:PASSWORD@HOST:5432/PROJECT" cargo run --release
//! (for TLS, use the tokio-postgres-rustls or postgres-native-tls connector instead of NoTls).
//! Prints one line per result row, fields separated by "|".

use futures_util::{pin_mut, TryStreamExt};
use tokio_postgres::NoTls;

const TOP_COUNTRIES: &str = "SELECT country, count(*) AS views, max(latency_ms) AS slowest FROM events \
     WHERE status = $1 AND device = $2 GROUP BY country ORDER BY views DESC, country LIMIT 3";
const BYTES_PER_USER: &str = "SELECT user_id, CAST(sum(bytes) AS bigint) AS total FROM events \
     WHERE status = $1 GROUP BY user_id ORDER BY total DESC, user_id LIMIT 10";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("PGURL")?;
    let (client, connection) = tokio_postgres::connect(&url, NoTls).await?;
    // The connection object performs the I/O; it runs until the client is dropped.
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!("connection error: {e}");
        }
    });

    let users: i64 = client.query_one("SELECT count(DISTINCT user_id) FROM events", &[]).await?.get(0);
    println!("users|{users}");

    // Parameters are typed by the server (status is bigint, device text): pass i64 and &str.
    let top = client.prepare(TOP_COUNTRIES).await?;
    for status in [200_i64, 404] {
        for row in client.query(&top, &[&status, &"mobile"]).await? {
            let country: Option<String> = row.get("country");
            let views: i64 = row.get("views");
            let slowest: f64 = row.get("slowest");
            println!("top|{status}|{}|{views}|{slowest}", country.unwrap_or_default());
        }
    }

    // query_raw yields rows as they arrive instead of collecting them first.
    let rows = client.query_raw(BYTES_PER_USER, [200_i64]).await?;
    pin_mut!(rows);
    while let Some(row) = rows.try_next().await? {
        let user: Option<String> = row.get(0);
        let total: i64 = row.get(1);
        println!("bytes|{}|{total}", user.unwrap_or_default());
    }
    Ok(())
}
