import { PgError, unsupported } from '../../errors/pg-error.js';
import type { SqlStateCode } from '../../errors/sqlstate.js';
import { positionOf } from '../offsets.js';
import type { ParsedStatement, TranslateContext } from '../types.js';
import type { ParameterRegistry } from './params.js';

/** What every translation rule needs: the statement (for positions), the context, parameters. */
export interface State {
  stmt: ParsedStatement;
  ctx: TranslateContext;
  params: ParameterRegistry;
}

/** A 0A000 error for `construct`, positioned at the node's location. */
export function refuse(state: State, construct: string, location: unknown, hint?: string): PgError {
  return unsupported(construct, hint, positionOf(state.stmt, typeof location === 'number' ? location : undefined));
}

/** A PgError of the given code positioned at the node's location. */
export function failAt(state: State, code: SqlStateCode, message: string, location: unknown, hint?: string): PgError {
  const position = positionOf(state.stmt, typeof location === 'number' ? location : undefined);
  return new PgError(code, message, {
    ...(position === undefined ? {} : { position }),
    ...(hint === undefined ? {} : { hint }),
  });
}
