/**
 * JSON serializer for request bodies: like JSON.stringify, but bigint values are written as
 * raw JSON numbers. Druid binds a BIGINT parameter only from a JSON number (docs/druid-api.md
 * "Request body").
 */
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';

export type JsonWritable =
  | null
  | boolean
  | number
  | bigint
  | string
  | readonly JsonWritable[]
  | { readonly [key: string]: JsonWritable | undefined };

/** Serializes without whitespace; object keys whose value is undefined are skipped. */
export function stringifyJson(value: JsonWritable): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'bigint':
      return value.toString();
    case 'number':
      if (!Number.isFinite(value)) {
        throw new PgError(SqlState.InvalidParameterValue, `cannot send ${value} to the backend: JSON has no such number`);
      }
      return JSON.stringify(value);
    default:
      break;
  }
  if (isArray(value)) return `[${value.map(stringifyJson).join(',')}]`;
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${stringifyJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

function isArray(value: JsonWritable): value is readonly JsonWritable[] {
  return Array.isArray(value);
}
