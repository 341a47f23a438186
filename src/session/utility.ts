import { PgError, unsupported } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { FormatCode } from '../wire/messages.js';
import type { SessionContext } from './context.js';
import { contextKey, DRUID_PREFIX } from '../exec/druid-context.js';
import { TEXT_COLUMN } from './text-column.js';
import { zoneFromHours } from '../exec/timezone.js';

type Node = Record<string, unknown>;

/** The string value of an A_Const (or a TypeCast of one), as SET receives it. */
function constValue(node: unknown, name: string): string {
  const n = node as Node;
  const c = n.A_Const as Node | undefined;
  if (c) {
    if (c.isnull === true) return '';
    const sval = c.sval as Node | undefined;
    if (sval) return String(sval.sval ?? '');
    const ival = c.ival as Node | undefined;
    if (ival) return String(ival.ival ?? 0);
    const fval = c.fval as Node | undefined;
    if (fval) return String(fval.fval ?? '');
    const boolval = c.boolval as Node | undefined;
    if (boolval) return boolval.boolval === true ? 'on' : 'off';
  }
  throw unsupported(`this value for SET ${name}`, 'Use a plain literal value.');
}

/** search_path elements print quoted when they are not plain lower-case identifiers. */
function quoteIdent(value: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(value) ? value : `"${value.replace(/"/g, '""')}"`;
}

function setValue(stmt: Node, name: string): string {
  const args = (stmt.args as unknown[] | undefined) ?? [];
  if (name === 'timezone' && args.length === 1) {
    const c = (args[0] as Node).A_Const as Node | undefined;
    const ival = c?.ival as Node | undefined;
    if (ival) return zoneFromHours(Number(ival.ival ?? 0));
  }
  const values = args.map((a) => constValue(a, name));
  if (name === 'search_path') return values.map(quoteIdent).join(', ');
  return values.join(', ');
}

/** SET / RESET in all their forms. https://www.postgresql.org/docs/current/sql-set.html */
export function runSet(session: SessionContext, stmt: Node): void {
  const kind = stmt.kind as string;
  const name = String(stmt.name ?? '').toLowerCase();
  const local = stmt.is_local === true;
  const gucs = session.gucs;
  if (local && !session.tx.inBlock && !session.tx.implicit) {
    // Outside a block the statement's own transaction ends with it: the value lasts until then only.
    session.notice(SqlState.NoActiveSqlTransaction, 'SET LOCAL can only be used in transaction blocks', 'WARNING');
  }
  switch (kind) {
    case 'VAR_SET_VALUE':
      if (name.startsWith(DRUID_PREFIX)) contextKey(String(stmt.name));
      gucs.set(String(stmt.name), setValue(stmt, name), local);
      break;
    case 'VAR_SET_DEFAULT':
    case 'VAR_RESET':
      gucs.reset(name, local);
      break;
    case 'VAR_RESET_ALL':
      gucs.resetAll();
      break;
    case 'VAR_SET_CURRENT':
      break;
    case 'VAR_SET_MULTI': {
      const prefix = name === 'session characteristics' ? 'default_' : '';
      if (name === 'transaction' && !session.tx.inBlock) {
        session.notice('25P01', 'SET TRANSACTION can only be used in transaction blocks', 'WARNING');
      }
      for (const item of (stmt.args as Node[] | undefined) ?? []) {
        const def = item.DefElem as Node | undefined;
        if (!def) continue;
        gucs.set(`${prefix}${String(def.defname)}`, constValue(def.arg, String(def.defname)), false);
      }
      break;
    }
    default:
      throw unsupported(`SET form ${kind}`);
  }
  session.complete(kind === 'VAR_RESET' || kind === 'VAR_RESET_ALL' ? 'RESET' : 'SET');
}

/** SHOW name | SHOW ALL: one text column named like the parameter. */
export function runShow(session: SessionContext, stmt: Node, formats: readonly FormatCode[] | null): void {
  const columns = showColumns(session, stmt);
  if (formats === null) session.runner.sendRowDescription(columns);
  const rows: string[][] = String(stmt.name ?? '') === 'all' ? session.gucs.all() : [[session.gucs.show(String(stmt.name ?? ''))]];
  // text's binary form is its UTF-8 bytes, so one encoding serves both result formats.
  for (const row of rows) session.out.writer.dataRow(row);
  session.complete('SHOW');
}

/** The column a SHOW statement returns, for Describe. */
export function showColumns(session: SessionContext, stmt: Node): Array<typeof TEXT_COLUMN> {
  const name = String(stmt.name ?? '');
  if (name === 'all') return ['name', 'setting', 'description'].map((n) => ({ ...TEXT_COLUMN, name: n }));
  session.gucs.show(name);
  return [{ ...TEXT_COLUMN, name: session.gucs.canonicalName(name) }];
}

function applyTransactionOptions(session: SessionContext, options: unknown): void {
  for (const item of (options as Node[] | undefined) ?? []) {
    const def = item.DefElem as Node | undefined;
    if (def) session.gucs.set(String(def.defname), constValue(def.arg, String(def.defname)), true);
  }
}

/** BEGIN/COMMIT/ROLLBACK/SAVEPOINT... https://www.postgresql.org/docs/current/sql-begin.html */
export async function runTransaction(session: SessionContext, stmt: Node): Promise<void> {
  const kind = stmt.kind as string;
  const tx = session.tx;
  switch (kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      if (tx.inBlock) {
        session.notice(SqlState.ActiveSqlTransaction, 'there is already a transaction in progress', 'WARNING');
      } else {
        tx.begin();
        session.gucs.beginTransaction();
        session.gucs.set('transaction_isolation', session.gucs.get('default_transaction_isolation') ?? 'read committed', true);
        session.gucs.set('transaction_read_only', session.gucs.get('default_transaction_read_only') ?? 'off', true);
      }
      applyTransactionOptions(session, stmt.options);
      session.complete(kind === 'TRANS_STMT_BEGIN' ? 'BEGIN' : 'START TRANSACTION');
      return;
    case 'TRANS_STMT_COMMIT':
    case 'TRANS_STMT_ROLLBACK': {
      const failed = tx.status === 'E';
      if (!tx.inBlock) {
        session.notice(SqlState.NoActiveSqlTransaction, 'there is no transaction in progress', 'WARNING');
      }
      const commit = kind === 'TRANS_STMT_COMMIT' && !failed;
      await session.endTransaction(commit);
      if (stmt.chain === true) {
        tx.begin();
        session.gucs.beginTransaction();
      }
      session.complete(kind === 'TRANS_STMT_COMMIT' && !failed ? 'COMMIT' : 'ROLLBACK');
      return;
    }
    case 'TRANS_STMT_SAVEPOINT':
      tx.savepoint(String(stmt.savepoint_name));
      session.complete('SAVEPOINT');
      return;
    case 'TRANS_STMT_RELEASE':
      tx.release(String(stmt.savepoint_name));
      session.complete('RELEASE');
      return;
    case 'TRANS_STMT_ROLLBACK_TO':
      tx.rollbackTo(String(stmt.savepoint_name));
      session.complete('ROLLBACK');
      return;
    default:
      throw unsupported('two-phase commit (PREPARE TRANSACTION / COMMIT PREPARED)', 'polaris-pg is read-only; no transaction state reaches the backend.');
  }
}

export async function runDiscard(session: SessionContext, stmt: Node): Promise<void> {
  const target = String(stmt.target);
  if (target === 'DISCARD_ALL') {
    if (session.tx.inBlock) throw new PgError(SqlState.ActiveSqlTransaction, 'DISCARD ALL cannot run inside a transaction block');
    session.gucs.resetAll();
    await session.discardAll();
    session.complete('DISCARD ALL');
    return;
  }
  if (target === 'DISCARD_TEMP') {
    await session.discardTemp();
    session.complete('DISCARD TEMP');
    return;
  }
  // Plans and sequences: the gateway caches no plans and Druid has no sequences.
  const tags: Record<string, string> = { DISCARD_PLANS: 'DISCARD PLANS', DISCARD_SEQUENCES: 'DISCARD SEQUENCES' };
  session.complete(tags[target] ?? 'DISCARD');
}
