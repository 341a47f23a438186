//! Drives the gateway with Rust's two PostgreSQL drivers, tokio-postgres and sqlx, and prints one
//! JSON line per result so test/clients/rust.test.ts can compare the values with the PostgreSQL
//! twin. Built once by test/clients/provision into ~/.cache/polaris-pg-clients/rust-probe.
//!
//! Usage: rust-probe <tokio-postgres|sqlx> <url> <scenario> [sql]
//! tokio-postgres scenarios: prepared, types, stream, cancel (runs sql, cancels it after 700 ms).
//! sqlx scenarios: query_as, prepared.

mod sqlx_probe;
mod tokio_probe;

use serde_json::Value;

/// Prints one JSON object with "kind" first.
pub fn emit(kind: &str, fields: Value) {
    let mut object = serde_json::Map::new();
    object.insert("kind".into(), Value::from(kind));
    if let Value::Object(rest) = fields {
        object.extend(rest);
    }
    println!("{}", Value::Object(object));
}

pub type Failure = Box<dyn std::error::Error + Send + Sync>;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: rust-probe <tokio-postgres|sqlx> <url> <scenario> [sql]");
        std::process::exit(2);
    }
    let sql = args.get(4).cloned().unwrap_or_default();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let outcome = runtime.block_on(async {
        match args[1].as_str() {
            "tokio-postgres" => tokio_probe::run(&args[2], &args[3], &sql).await,
            "sqlx" => sqlx_probe::run(&args[2], &args[3]).await,
            other => Err(format!("unknown driver {other}").into()),
        }
    });
    if let Err(e) = outcome {
        // tokio-postgres says only "db error"; the server's message is in the source chain.
        let mut message = e.to_string();
        let mut source = e.source();
        while let Some(cause) = source {
            message.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        eprintln!("{message}");
        std::process::exit(3);
    }
}
