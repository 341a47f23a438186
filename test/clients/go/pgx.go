package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func runPgx(url, scenario, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	switch scenario {
	case "ping":
		// conn.Ping sends the simple query "-- ping" (pgconn.Ping); the raw texts follow.
		if err := conn.Ping(ctx); err != nil {
			emit(result{Kind: "ping", Error: err.Error()})
		} else {
			emit(result{Kind: "ping", Tag: "ok"})
		}
		for _, text := range []string{"-- ping", ";"} {
			results, err := conn.PgConn().Exec(ctx, text).ReadAll()
			if err != nil {
				emit(result{Kind: "exec", Tag: text, Error: err.Error()})
			} else {
				emit(result{Kind: "exec", Tag: fmt.Sprintf("%s (%d results)", text, len(results))})
			}
		}
		return nil
	case "query":
		// Grafana's pgx engine runs panel SQL with PgConn().Exec: the simple Query protocol, text results.
		emitPgxResults(conn.PgConn().Exec(ctx, sql))
		return nil
	default:
		return errors.New("unknown scenario " + scenario)
	}
}

func emitPgxResults(mrr *pgconn.MultiResultReader) {
	results, err := mrr.ReadAll()
	for _, r := range results {
		if r.Err != nil {
			continue
		}
		out := result{Kind: "result", Tag: r.CommandTag.String(), Rows: [][]*string{}}
		for _, fd := range r.FieldDescriptions {
			out.Columns = append(out.Columns, column{Name: fd.Name, OID: fd.DataTypeOID})
		}
		for _, row := range r.Rows {
			values := make([]*string, len(row))
			for i, v := range row {
				if v != nil {
					s := string(v)
					values[i] = &s
				}
			}
			out.Rows = append(out.Rows, values)
		}
		emit(out)
	}
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			emit(result{Kind: "error", Error: pgErr.Message, Code: pgErr.Code})
		} else {
			emit(result{Kind: "error", Error: err.Error()})
		}
	}
}
