import { StringDecoder } from 'node:string_decoder';
import { PgError, unsupported } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import { list, names, nodeBody, type AstBody } from '../../sql/ast.js';
import type { ParsedStatement } from '../../sql/types.js';
import { targetTable } from '../../sql/write.js';
import type { IngestColumn } from '../../schema/ingest.js';
import { writeValueJson, type WriteTarget } from '../../types/write-value.js';
import type { SessionContext } from '../context.js';
import { copyFormat, type CopyFormat } from '../copy.js';
import { withSchema } from './insert.js';
import { countRows, runJob } from './job.js';
import { streamApi, streamCopy } from './polaris-stream.js';
import { CopyRecordReader, csvFields, textFields, type CopyRecord } from './copy-parse.js';
import { rowJson } from './rows.js';
import { storableColumns, tableTargets } from './targets.js';

/**
 * COPY t [(cols)] FROM STDIN (docs/writes.md): the client's rows are parsed as PostgreSQL parses
 * them, checked against the column types and streamed to a staged file; after CopyDone they are
 * ingested as one job. A bad record fails the whole COPY with CONTEXT naming its line, and
 * nothing is ingested.
 */
export interface PreparedCopyFrom {
  table: string;
  targets: WriteTarget[];
  tableColumns: IngestColumn[];
  format: CopyFormat;
}

export async function prepareCopyFrom(ctx: SessionContext, stmt: ParsedStatement): Promise<PreparedCopyFrom> {
  const body = nodeBody(stmt.ast);
  if (body.filename !== undefined || body.is_program === true) {
    throw unsupported('COPY FROM a server file or program', 'Use COPY ... FROM STDIN (psql: \\copy).');
  }
  if (body.whereClause !== undefined) throw unsupported('COPY FROM ... WHERE', 'Filter the rows before sending them.');
  const format = copyFormat(list(body.options) as AstBody[]);
  const table = await withSchema(ctx, (schema) => targetTable(stmt, body.relation as AstBody, schema, ctx.writes.schemaName), stmt);
  if (table === null) throw new PgError(SqlState.UndefinedTable, 'relation does not exist');
  const named = list(body.attlist).map((a) => names([a])[0] ?? '');
  const known = new Set(table.columns.map((c) => c.name));
  for (const name of named) {
    if (!known.has(name)) throw new PgError(SqlState.UndefinedColumn, `column "${name}" of relation "${table.name}" does not exist`);
  }
  const columns = named.length > 0 ? named : [...table.columns].sort((a, b) => a.ordinal - b.ordinal).map((c) => c.name);
  return { table: table.name, targets: tableTargets(table, columns, ctx.writes.timestampType), tableColumns: storableColumns(table), format };
}

/** The record's error with PostgreSQL's CONTEXT line (copyfrom.c CopyFromErrorCallback). */
function withContext(err: unknown, table: string, record: CopyRecord, column: string | null, value: string | null): unknown {
  if (!(err instanceof PgError)) return err;
  const where = column === null ? `COPY ${table}, line ${record.line}: "${record.text}"` : `COPY ${table}, line ${record.line}, column ${column}: "${value ?? ''}"`;
  return new PgError(err.code, err.message, { ...(err.hint === undefined ? {} : { hint: err.hint }), where });
}

function recordValues(record: CopyRecord, prepared: PreparedCopyFrom): Array<string | null> {
  const fields = prepared.format.csv ? csvFields(record.text, prepared.format) : textFields(record.text, prepared.format);
  const { targets } = prepared;
  if (fields.length < targets.length) {
    throw new PgError(SqlState.BadCopyFileFormat, `missing data for column "${targets[fields.length]?.name ?? ''}"`);
  }
  if (fields.length > targets.length) throw new PgError(SqlState.BadCopyFileFormat, 'extra data after last expected column');
  return fields;
}

/** Reads the client's data, then ingests it; returns the row count. */
export async function runCopyFrom(ctx: SessionContext, prepared: PreparedCopyFrom): Promise<number> {
  const target = ctx.writes.target(prepared.table, prepared.tableColumns);
  const streaming = ctx.gucs.get('polaris.copy_target') === 'stream';
  if (streaming) streamApi(target);
  const before = await countRows(target);
  const sink = ctx.writes.sink();
  const timeZone = ctx.gucs.get('timezone') ?? 'UTC';
  const inbox = ctx.openCopyIn();
  ctx.out.writer.copyInResponse(0, prepared.targets.map(() => 0));
  await ctx.out.flush();
  let header = prepared.format.header;
  const take = async (records: CopyRecord[]): Promise<void> => {
    for (const record of records) {
      if (header) {
        header = false;
        continue;
      }
      let values: Array<string | null>;
      try {
        values = recordValues(record, prepared);
      } catch (err) {
        throw withContext(err, prepared.table, record, null, null);
      }
      const params = values.map((v) => (v === null ? { kind: 'null' as const } : { kind: 'text' as const, value: v }));
      prepared.targets.forEach((t, i) => {
        const param = params[i] ?? { kind: 'null' as const };
        try {
          writeValueJson(param, t, timeZone, prepared.table);
        } catch (err) {
          // A NULL __time is a row error (23502), reported with the line as PostgreSQL does.
          throw withContext(err, prepared.table, record, param.kind === 'null' ? null : t.name, values[i] ?? null);
        }
      });
      try {
        await sink.add(rowJson(prepared.targets, params, timeZone, prepared.table));
      } catch (err) {
        throw withContext(err, prepared.table, record, null, null);
      }
    }
  };
  try {
    const decoder = new StringDecoder('utf8');
    const reader = new CopyRecordReader(prepared.format);
    for await (const chunk of inbox.chunks()) await take(reader.push(decoder.write(chunk)));
    await take(reader.push(decoder.end()));
    await take(reader.end());
  } catch (err) {
    await sink.discard();
    throw err;
  } finally {
    ctx.closeCopyIn();
  }
  if (sink.rows === 0) {
    await sink.discard();
    return 0;
  }
  if (streaming) await streamCopy(ctx, target, sink, before);
  else await runJob(ctx, target, sink, before);
  return sink.rows;
}
