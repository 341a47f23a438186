import { pgTypeFor } from '../types/druid-to-pg.js';
import type { ResultColumn } from '../exec/row-source.js';

/** A text result column, as SHOW and EXPLAIN return. */
export const TEXT_COLUMN: ResultColumn = { name: '', type: pgTypeFor({ sqlType: 'VARCHAR', nativeType: 'STRING' }) };
