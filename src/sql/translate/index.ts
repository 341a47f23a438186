import { SqlPlaceholder, SqlQuery, SqlStar } from 'druid-query-toolkit';
import { list, nodeBody, nodeType } from '../ast.js';
import { describeStatementTag } from '../tag.js';
import type { GatewaySort, ParameterSlot, ParsedStatement, ResultType, SetOperation, TimestampOutput, TranslateContext, TranslateOptions, Translation } from '../types.js';
import { ParameterRegistry } from './params.js';
import { selectStatement } from './select.js';
import { resultTypeOf } from './result-types.js';
import { refuse, type State } from './state.js';
import { timestampOutput } from './timestamp-output.js';

/**
 * Translates a 'data' statement (SELECT or EXPLAIN SELECT) to Druid SQL built with
 * druid-query-toolkit. Throws PgError: 0A000 for constructs Druid cannot run faithfully,
 * 42P01/42703/42702 for unknown or ambiguous names, with positions in the client's text.
 */
export function translate(stmt: ParsedStatement, ctx: TranslateContext, options: TranslateOptions = {}): Translation {
  const params = new ParameterRegistry(ctx.paramTypes);
  const state: State = { stmt, ctx, params };
  const type = nodeType(stmt.ast);
  const body = nodeBody(stmt.ast);
  let query: SqlQuery;
  let columnNames: string[] | undefined;
  let gatewaySort: GatewaySort | undefined;
  let emptyTotal: SqlQuery | undefined;
  let timestampOutputs: TimestampOutput[] | undefined;
  let resultTypes: Array<ResultType | null> | undefined;
  let setOperation: SetOperation | undefined;
  if (type === 'SelectStmt') {
    const result = selectStatement(state, stmt.ast, new Map(), undefined, true);
    query = result.query;
    gatewaySort = result.gatewaySort;
    emptyTotal = result.emptyTotal;
    if (result.setOperation !== undefined) setOperation = gatewaySetOperation(state, result.setOperation, slotsOf(query, params), params);
    // Describe's LIMIT 0 form leaves out the hidden sort-key columns.
    if (gatewaySort !== undefined && options.limitZero === true && gatewaySort.hiddenColumns > 0) {
      query = query.changeSelectExpressions(query.getSelectExpressionsArray().slice(0, -gatewaySort.hiddenColumns));
    }
    const kinds = result.columns.map(timestampOutput);
    if (kinds.some((k) => k !== null)) timestampOutputs = kinds;
    const results = result.columns.map(resultTypeOf);
    if (results.some((r) => r !== null)) resultTypes = results;
    if (result.renamed === true || timestampOutputs !== undefined) columnNames = result.columns.map((c) => c.name);
    if (options.limitZero === true) query = limitZero(query);
  } else if (type === 'ExplainStmt') {
    if (list(body.options).length > 0) throw refuse(state, 'EXPLAIN options', nodeBody(body.query).location, 'Use plain EXPLAIN.');
    query = selectStatement(state, body.query, new Map()).query.makeExplain();
  } else {
    const tag = describeStatementTag(stmt.ast);
    throw refuse(state, tag, stmt.offset, tag === 'SELECT' ? undefined : 'Druid tables are read-only through polaris-pg; only SELECT and EXPLAIN run against Druid.');
  }
  return {
    sql: query.toString(),
    slots: slotsOf(query, params),
    paramTypes: params.paramTypes(),
    ...(columnNames === undefined ? {} : { columnNames }),
    ...(gatewaySort === undefined || options.limitZero === true ? {} : { gatewaySort }),
    ...(emptyTotal === undefined || options.limitZero === true ? {} : { emptyTotal: { sql: emptyTotal.toString(), slots: slotsOf(emptyTotal, params) } }),
    ...(timestampOutputs === undefined ? {} : { timestampOutputs }),
    ...(resultTypes === undefined ? {} : { resultTypes }),
    ...(setOperation === undefined || options.limitZero === true ? {} : { setOperation }),
  };
}

/** The right branch of a gateway set operation; 0A000 when it takes a `$n` the left one lacks. */
function gatewaySetOperation(state: State, set: { op: SetOperation['op']; all: boolean; right: SqlQuery }, leftSlots: ParameterSlot[], params: ParameterRegistry): SetOperation {
  const slots = slotsOf(set.right, params);
  if (slots.some((slot) => !leftSlots.some((s) => s.pgIndex === slot.pgIndex))) {
    throw refuse(state, `a parameter only on the right of ${set.op}`, undefined, 'Use each parameter on the left side as well.');
  }
  return { op: set.op, all: set.all, right: { sql: set.right.toString(), slots } };
}

/** The parameter slot of each `?` in the query, in order. */
function slotsOf(query: SqlQuery, params: ParameterRegistry): ParameterSlot[] {
  const slots: ParameterSlot[] = [];
  query.walk((node) => {
    if (node instanceof SqlPlaceholder) {
      const slot = params.slotFor(node);
      if (slot !== undefined) slots.push(slot);
    }
    return node;
  });
  return slots;
}

/** The same query with its outermost LIMIT replaced by LIMIT 0 (UNION ALL is wrapped first). */
function limitZero(query: SqlQuery): SqlQuery {
  const base = query.unionQuery === undefined
    ? query
    : SqlQuery.from(query.ensureParens()).changeSelectExpressions([SqlStar.PLAIN]);
  return base.changeOffsetClause(undefined).changeLimitValue(0);
}
