import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';

/**
 * client_encoding names as PostgreSQL looks them up (src/common/encnames.c, pg_char_to_encoding):
 * every character that is not an ASCII letter or digit is dropped and the rest lower-cased before
 * the alias table is searched, so `UTF8`, `utf-8`, `'utf-8'` (asyncpg sends the quotes) and
 * `Unicode` all name UTF8. Values are PostgreSQL's canonical names, as SHOW and ParameterStatus
 * print them. https://github.com/postgres/postgres/blob/REL_15_STABLE/src/common/encnames.c
 */
const ENCODING_ALIASES: Readonly<Record<string, string>> = {
  abc: 'WIN1258', alt: 'WIN866', big5: 'BIG5', euccn: 'EUC_CN', eucjis2004: 'EUC_JIS_2004', eucjp: 'EUC_JP',
  euckr: 'EUC_KR', euctw: 'EUC_TW', gb18030: 'GB18030', gbk: 'GBK', iso88591: 'LATIN1', iso885910: 'LATIN6',
  iso885913: 'LATIN7', iso885914: 'LATIN8', iso885915: 'LATIN9', iso885916: 'LATIN10', iso88592: 'LATIN2',
  iso88593: 'LATIN3', iso88594: 'LATIN4', iso88595: 'ISO_8859_5', iso88596: 'ISO_8859_6', iso88597: 'ISO_8859_7',
  iso88598: 'ISO_8859_8', iso88599: 'LATIN5', johab: 'JOHAB', koi8: 'KOI8R', koi8r: 'KOI8R', koi8u: 'KOI8U',
  latin1: 'LATIN1', latin10: 'LATIN10', latin2: 'LATIN2', latin3: 'LATIN3', latin4: 'LATIN4', latin5: 'LATIN5',
  latin6: 'LATIN6', latin7: 'LATIN7', latin8: 'LATIN8', latin9: 'LATIN9', mskanji: 'SJIS', muleinternal: 'MULE_INTERNAL',
  shiftjis: 'SJIS', shiftjis2004: 'SHIFT_JIS_2004', sjis: 'SJIS', sqlascii: 'SQL_ASCII', tcvn: 'WIN1258',
  tcvn5712: 'WIN1258', uhc: 'UHC', unicode: 'UTF8', utf8: 'UTF8', vscii: 'WIN1258', win: 'WIN1251',
  win1250: 'WIN1250', win1251: 'WIN1251', win1252: 'WIN1252', win1253: 'WIN1253', win1254: 'WIN1254',
  win1255: 'WIN1255', win1256: 'WIN1256', win1257: 'WIN1257', win1258: 'WIN1258', win866: 'WIN866', win874: 'WIN874',
  win932: 'SJIS', win936: 'GBK', win949: 'UHC', win950: 'BIG5', windows1250: 'WIN1250', windows1251: 'WIN1251',
  windows1252: 'WIN1252', windows1253: 'WIN1253', windows1254: 'WIN1254', windows1255: 'WIN1255',
  windows1256: 'WIN1256', windows1257: 'WIN1257', windows1258: 'WIN1258', windows866: 'WIN866',
  windows874: 'WIN874', windows932: 'SJIS', windows936: 'GBK', windows949: 'UHC', windows950: 'BIG5',
};

/**
 * Encodings the gateway can serve: it sends UTF-8, and SQL_ASCII clients take the server's bytes
 * unconverted (as PostgreSQL does with a UTF8 database).
 */
const SERVED = new Set(['UTF8', 'SQL_ASCII']);

/** PostgreSQL's NAMEDATALEN - 1: longer names are never in the table. */
const MAX_NAME_BYTES = 63;

/** PostgreSQL's canonical name of a client_encoding value, or undefined for an unknown name. */
export function canonicalEncoding(value: string): string | undefined {
  if (Buffer.byteLength(value) > MAX_NAME_BYTES) return undefined;
  const key = value.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  return Object.hasOwn(ENCODING_ALIASES, key) ? ENCODING_ALIASES[key] : undefined;
}

/**
 * Normalizes a client_encoding value: an unknown name fails as in PostgreSQL (22023), a known
 * encoding other than UTF8 and SQL_ASCII is refused with 0A000 (the gateway does not convert).
 */
export function normalizeClientEncoding(value: string): string {
  const name = canonicalEncoding(value);
  if (name === undefined) throw new PgError(SqlState.InvalidParameterValue, `invalid value for parameter "client_encoding": "${value}"`);
  if (!SERVED.has(name)) {
    throw new PgError(SqlState.FeatureNotSupported, `client_encoding "${name}" is not supported by polaris-pg`, {
      hint: 'polaris-pg sends UTF-8; set client_encoding to UTF8.',
    });
  }
  return name;
}
