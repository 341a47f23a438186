/**
 * JSON for Druid result lines that keeps 64-bit integers exact.
 *
 * Druid writes BIGINT values as unquoted JSON numbers that can exceed 2^53 (docs/druid-api.md
 * "The arrayLines result format"); JSON.parse would round them. A number token's integer part always follows '[', ',',
 * ':' or whitespace (or starts the line), so when no such position is followed by 16 or more
 * digits, every integer in the line has at most 15 digits (< 10^15 < 2^53) and JSON.parse is
 * exact. Otherwise the line goes through the small parser below, which returns bigint for
 * integers outside the safe range and numbers for everything else.
 */
import type { DruidValue } from '../schema/druid.js';

/** An optional '-' then 16 digits right after a position where a number token can start. */
const LONG_INTEGER_CANDIDATE = /(?:^|[[,:\s])-?\d{16}/;
/** A JSON number token (RFC 8259 §6), anchored with the sticky flag. */
const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
/** Integers with up to 15 significant digits are exact doubles. */
const MAX_EXACT_DIGITS = 15;

/** Parses one JSON text; throws SyntaxError on invalid JSON, like JSON.parse. */
export function parseJsonLine(line: string): DruidValue {
  if (!LONG_INTEGER_CANDIDATE.test(line)) return JSON.parse(line) as DruidValue;
  const parser = new LosslessParser(line);
  const value = parser.parseValue();
  parser.skipWhitespace();
  if (parser.pos !== line.length) throw parser.fail('unexpected data after JSON value');
  return value;
}

class LosslessParser {
  pos = 0;

  constructor(private readonly text: string) {}

  fail(what: string): SyntaxError {
    return new SyntaxError(`${what} at position ${this.pos} in JSON`);
  }

  skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      // JSON whitespace: space, tab, line feed, carriage return.
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.pos++;
    }
  }

  parseValue(): DruidValue {
    this.skipWhitespace();
    const c = this.text[this.pos];
    switch (c) {
      case '[':
        return this.parseArray();
      case '{':
        return this.parseObject();
      case '"':
        return this.parseString();
      case 't':
        return this.parseLiteral('true', true);
      case 'f':
        return this.parseLiteral('false', false);
      case 'n':
        return this.parseLiteral('null', null);
      default:
        return this.parseNumber();
    }
  }

  private parseLiteral<T extends DruidValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) throw this.fail('unexpected token');
    this.pos += word.length;
    return value;
  }

  private parseNumber(): number | bigint {
    NUMBER_TOKEN.lastIndex = this.pos;
    const m = NUMBER_TOKEN.exec(this.text);
    if (m === null) throw this.fail('unexpected token');
    const token = m[0];
    this.pos += token.length;
    const isInteger = m[1] === undefined && m[2] === undefined;
    const digits = token.startsWith('-') ? token.length - 1 : token.length;
    if (!isInteger || digits <= MAX_EXACT_DIGITS) return Number(token);
    const asNumber = Number(token);
    return Number.isSafeInteger(asNumber) ? asNumber : BigInt(token);
  }

  private parseString(): string {
    const t = this.text;
    const start = this.pos;
    let i = start + 1;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === 0x22) break; // closing quote
      i += c === 0x5c ? 2 : 1; // a backslash escapes the next character
    }
    if (i >= t.length) throw this.fail('unterminated string');
    this.pos = i + 1;
    // JSON.parse validates and decodes the escapes of this one string token.
    return JSON.parse(t.slice(start, i + 1)) as string;
  }

  private parseArray(): DruidValue[] {
    this.pos++; // '['
    const out: DruidValue[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.parseValue());
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') throw this.fail("expected ',' or ']'");
    }
  }

  private parseObject(): { [key: string]: DruidValue } {
    this.pos++; // '{'
    const out: { [key: string]: DruidValue } = {};
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') throw this.fail('expected string key');
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.pos++] !== ':') throw this.fail("expected ':'");
      // defineProperty keeps a "__proto__" key an own property, as JSON.parse does.
      Object.defineProperty(out, key, { value: this.parseValue(), writable: true, enumerable: true, configurable: true });
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') throw this.fail("expected ',' or '}'");
    }
  }
}
