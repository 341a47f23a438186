import { bindStatement, type Route } from './route.js';

/** An empty query string (only whitespace, comments or ';'): EmptyQueryResponse. */
export const emptyRoute: Route<'empty'> = {
  async parse(ctx, request) {
    if (request.protocol === 'extended') ctx.out.writer.parseComplete();
    return { route: 'empty', name: request.name, stmt: null, paramTypes: [...request.paramTypes] };
  },

  async bind(ctx, statement, request) {
    return bindStatement(ctx, statement, request);
  },

  async describe(ctx, what) {
    if (what.target === 'S') ctx.out.writer.parameterDescription(what.statement.paramTypes);
    ctx.out.writer.noData();
  },

  async execute(ctx) {
    ctx.out.writer.emptyQueryResponse();
    return true;
  },

  async close(ctx, _what, reply) {
    if (reply) ctx.out.writer.closeComplete();
  },
};
