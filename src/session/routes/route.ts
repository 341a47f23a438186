import { PgError } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import type { SessionContext } from '../context.js';
import type {
  BindRequest,
  EmptyStatement,
  ParseRequest,
  PortalBase,
  PortalOf,
  PreparedStatement,
  StatementKind,
  StatementOf,
  UtilityStatement,
} from '../state.js';

/** Describe or Close of a statement ('S') or a portal ('P'). */
export type Target<K extends StatementKind> = { target: 'S'; statement: StatementOf<K> } | { target: 'P'; portal: PortalOf<K> };

/**
 * One way of answering statements (routes/index.ts registers one per StatementRoute). The
 * extended protocol, the simple protocol and SQL PREPARE/EXECUTE all go through these five steps;
 * a route answers Parse, Bind and Close itself when the request asks for a reply.
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
 */
export interface Route<K extends StatementKind> {
  parse(ctx: SessionContext, request: ParseRequest): Promise<StatementOf<K>>;
  bind(ctx: SessionContext, statement: StatementOf<K>, request: BindRequest): Promise<PortalOf<K>>;
  /** Answers Describe: ParameterDescription (statements) and RowDescription or NoData. */
  describe(ctx: SessionContext, what: Target<K>): Promise<void>;
  /** Runs or resumes a portal, up to maxRows rows (0 = all); false when it is suspended. */
  execute(ctx: SessionContext, portal: PortalOf<K>, maxRows: number): Promise<boolean>;
  /** Releases a statement or portal; answers CloseComplete when `reply` is set. */
  close(ctx: SessionContext, what: Target<K>, reply: boolean): Promise<void>;
}

/** Bind must supply exactly the statement's parameters (the catalog checks its own). */
export function checkBindCount(statement: PreparedStatement, request: BindRequest): void {
  const expected = statement.paramTypes.length;
  if (request.params.length !== expected) {
    throw new PgError(
      SqlState.ProtocolViolation,
      `bind message supplies ${request.params.length} parameters, but prepared statement "${statement.name}" requires ${expected}`,
    );
  }
}

/** The fields every portal starts with. */
export function portalBase(request: BindRequest): PortalBase {
  return { name: request.portal, formats: request.resultFormats === null ? null : [...request.resultFormats], done: false, elapsed: 0 };
}

/** Bind of a statement whose portal holds nothing else: the parameter count check and BindComplete. */
export function bindStatement<S extends EmptyStatement | UtilityStatement>(
  ctx: SessionContext,
  statement: S,
  request: BindRequest,
): PortalBase & { route: S['route']; statement: S } {
  checkBindCount(statement, request);
  if (request.reply) ctx.out.writer.bindComplete();
  return { ...portalBase(request), route: statement.route, statement };
}
