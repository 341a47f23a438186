import { nodeBody, str, type AstBody } from '../../sql/ast.js';
import type { ParsedStatement } from '../../sql/types.js';

/**
 * The table a write statement names (its RangeVar's relname), for looking it up in a backend's
 * table registry when the SQL schema does not show it (docs/writes.md, "Polaris").
 */
export function relationName(stmt: ParsedStatement): string | undefined {
  const body = nodeBody(stmt.ast);
  const relation = (stmt.nodeType === 'CreateTableAsStmt' ? (body.into as AstBody | undefined)?.rel : body.relation) as AstBody | undefined;
  return relation === undefined ? undefined : str(relation.relname);
}
