import type { ParsedStatement } from '../../sql/types.js';
import { copySource } from '../copy.js';
import type { StatementKind } from '../state.js';
import { catalogRoute } from './catalog.js';
import { dataRoute } from './data.js';
import { emptyRoute } from './empty.js';
import type { Route } from './route.js';
import { utilityRoute } from './utility.js';
import { writeRoute } from './write.js';

/** The route of each kind of statement; a new route is one entry here and its file. */
const ROUTES: { [K in StatementKind]: Route<K> } = {
  empty: emptyRoute,
  utility: utilityRoute,
  catalog: catalogRoute,
  data: dataRoute,
  write: writeRoute,
};

export function routeFor<K extends StatementKind>(kind: K): Route<K> {
  return ROUTES[kind];
}

/** Where a statement runs: its classified route, except that COPY runs where its query does. */
export function kindOf(stmt: ParsedStatement | null): StatementKind {
  if (stmt === null) return 'empty';
  return stmt.nodeType === 'CopyStmt' && stmt.route !== 'write' ? copySource(stmt).query.route : stmt.route;
}
