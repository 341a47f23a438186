/** The polaris-pg driver: `import { connect } from 'polaris-pg'` (docs/driver.md). */
export { connect, type ConnectOptions, type ConnectTarget, type Credentials } from './connect.js';
export { Connection } from './connection.js';
export { PreparedStatement, type ParameterInfo, type StatementDescription } from './statement.js';
export { ResultSet, DEFAULT_FETCH_SIZE } from './result-set.js';
export { Row } from './row.js';
export type { ColumnInfo } from './columns.js';
export type { JsValue } from './values.js';
export type { Param } from './params.js';
export type { ArrowOptions } from './arrow/batches.js';
export { DatabaseMetaData, type MetaRow } from './metadata.js';
export { PgError } from '../errors/pg-error.js';
