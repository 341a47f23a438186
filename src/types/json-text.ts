import type { DruidValue } from '../schema/druid.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';

/** JSON text of a Druid value; bigints print as their exact digits, non-finite numbers as null. */
export function jsonText(value: DruidValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      // An array or an object.
      break;
  }
  if (Array.isArray(value)) return '[' + value.map(jsonText).join(',') + ']';
  return '{' + Object.entries(value).map(([k, v]) => JSON.stringify(k) + ':' + jsonText(v)).join(',') + '}';
}

/** The text form of a value for text columns: strings as-is, anything else as JSON text. */
export function plainText(value: DruidValue): string {
  return typeof value === 'string' ? value : jsonText(value);
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS: ReadonlyArray<[string, DruidValue]> = [
  ['true', true],
  ['false', false],
  ['null', null],
];

function invalid(text: string): PgError {
  return new PgError(SqlState.InvalidTextRepresentation, `invalid JSON array from Druid: ${text.slice(0, 100)}`);
}

/**
 * JSON.parse that keeps integers outside +-(2^53-1) exact as bigint, for Druid's stringified
 * arrays (sqlStringifyArrays, the default) such as "[1,9007199254740993]".
 */
export function parseJsonLossless(text: string): DruidValue {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const value = (): DruidValue => {
    ws();
    const c = text.charAt(i);
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text.charAt(i) !== '"'; i++) if (text.charAt(i) === '\\') i++;
      i++;
      return JSON.parse(text.slice(start, i)) as string;
    }
    if (c === '[' || c === '{') {
      const isArray = c === '[';
      const close = isArray ? ']' : '}';
      const arr: DruidValue[] = [];
      const obj: { [key: string]: DruidValue } = {};
      i++;
      ws();
      if (text.charAt(i) === close) {
        i++;
        return isArray ? arr : obj;
      }
      for (;;) {
        if (isArray) arr.push(value());
        else {
          const key = value();
          ws();
          if (typeof key !== 'string' || text.charAt(i++) !== ':') throw invalid(text);
          obj[key] = value();
        }
        ws();
        const sep = text.charAt(i++);
        if (sep === close) return isArray ? arr : obj;
        if (sep !== ',') throw invalid(text);
      }
    }
    for (const [word, v] of LITERALS) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) throw invalid(text);
    i += m[0].length;
    const n = Number(m[0]);
    return Number.isSafeInteger(n) || !/^-?\d+$/.test(m[0]) ? n : BigInt(m[0]);
  };
  const result = value();
  ws();
  if (i !== text.length) throw invalid(text);
  return result;
}
