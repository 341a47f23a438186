/** Public API of the SQL layer: parse, classify, tag and translate PostgreSQL statements. */
export { initParser, parseSql } from './parser.js';
export { classify, innerQuery, referencedRelations, type RelationRef } from './classify.js';
export { describeStatementTag } from './tag.js';
export { positionOf } from './offsets.js';
export { translate } from './translate/index.js';
export type {
  ParameterSlot,
  ParsedStatement,
  StatementRoute,
  TranslateContext,
  TranslateOptions,
  Translation,
} from './types.js';
