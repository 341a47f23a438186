// Command goprobe drives the gateway with Grafana's two PostgreSQL drivers, pgx v5 (simple protocol
// through PgConn().Exec, as Grafana's pgx engine does) and lib/pq (database/sql), and prints one JSON
// line per result so the vitest suite can compare values with the PostgreSQL twin.
//
// Usage: goprobe <pgx|pq> <url> <scenario> [sql]
// Scenarios: ping (Ping plus the raw empty statements "-- ping" and ";"), query (runs sql, prints
// columns with type OIDs and rows as text).
package main

import (
	"encoding/json"
	"fmt"
	"os"
)

// result is printed as one JSON line per statement.
type result struct {
	Kind    string      `json:"kind"`
	Columns []column    `json:"columns,omitempty"`
	Rows    [][]*string `json:"rows,omitempty"`
	Tag     string      `json:"tag,omitempty"`
	Error   string      `json:"error,omitempty"`
	Code    string      `json:"code,omitempty"`
}

type column struct {
	Name string `json:"name"`
	OID  uint32 `json:"oid"`
}

func emit(r result) {
	line, err := json.Marshal(r)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Println(string(line))
}

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: goprobe <pgx|pq> <url> <ping|query> [sql]")
		os.Exit(2)
	}
	driver, url, scenario := os.Args[1], os.Args[2], os.Args[3]
	sql := ""
	if len(os.Args) > 4 {
		sql = os.Args[4]
	}
	var err error
	switch driver {
	case "pgx":
		err = runPgx(url, scenario, sql)
	case "pq":
		err = runPq(url, scenario, sql)
	default:
		err = fmt.Errorf("unknown driver %q", driver)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
