package main

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/lib/pq"
)

func runPq(url, scenario, text string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	db, err := sql.Open("postgres", url)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	switch scenario {
	case "ping":
		// lib/pq's Ping sends the simple query ";" (conn.Ping).
		if err := db.PingContext(ctx); err != nil {
			emit(result{Kind: "ping", Error: err.Error()})
		} else {
			emit(result{Kind: "ping", Tag: "ok"})
		}
		for _, raw := range []string{"-- ping", ";"} {
			if _, err := db.ExecContext(ctx, raw); err != nil {
				emit(result{Kind: "exec", Tag: raw, Error: err.Error()})
			} else {
				emit(result{Kind: "exec", Tag: raw})
			}
		}
		return nil
	case "query":
		return pqQuery(ctx, db, text)
	default:
		return errors.New("unknown scenario " + scenario)
	}
}

// pqQuery runs text without arguments, which lib/pq sends as a simple Query, and prints the rows as text.
func pqQuery(ctx context.Context, db *sql.DB, text string) error {
	rows, err := db.QueryContext(ctx, text)
	if err != nil {
		emitPqError(err)
		return nil
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return err
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	out := result{Kind: "result", Rows: [][]*string{}}
	for i, name := range names {
		out.Columns = append(out.Columns, column{Name: name, OID: typeOID(types[i].DatabaseTypeName())})
	}
	for rows.Next() {
		raw := make([]sql.RawBytes, len(names))
		dest := make([]any, len(names))
		for i := range raw {
			dest[i] = &raw[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		values := make([]*string, len(names))
		for i, v := range raw {
			if v != nil {
				s := string(v)
				values[i] = &s
			}
		}
		out.Rows = append(out.Rows, values)
	}
	if err := rows.Err(); err != nil {
		emitPqError(err)
		return nil
	}
	emit(out)
	return nil
}

// typeOID maps lib/pq's DatabaseTypeName (the pg_type name it derived from the RowDescription OID) back
// to the OID, for the types the suites check.
func typeOID(name string) uint32 {
	switch name {
	case "BOOL":
		return 16
	case "INT8":
		return 20
	case "INT4":
		return 23
	case "TEXT":
		return 25
	case "FLOAT8":
		return 701
	case "VARCHAR":
		return 1043
	case "TIMESTAMP":
		return 1114
	case "TIMESTAMPTZ":
		return 1184
	case "NUMERIC":
		return 1700
	default:
		return 0
	}
}

func emitPqError(err error) {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		emit(result{Kind: "error", Error: pqErr.Message, Code: string(pqErr.Code)})
		return
	}
	emit(result{Kind: "error", Error: err.Error()})
}
