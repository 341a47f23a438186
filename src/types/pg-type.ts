import type { DruidValue } from '../schema/druid.js';

/** Session settings that change how values are printed. */
export interface OutputContext {
  /** The session TimeZone GUC (IANA name or POSIX/ISO offset as PostgreSQL accepts). */
  timeZone: string;
  /** DateStyle; only 'ISO, MDY' style output is produced today. */
  dateStyle: string;
  /** extra_float_digits: >= 1 prints shortest round-trip; <= 0 prints 15 + n significant digits. */
  extraFloatDigits: number;
}

/** A PostgreSQL type as the gateway reports it, with its encoders for Druid JSON values. */
export interface PgType {
  oid: number;
  name: string;
  /** pg_type.typlen: -1 variable, else the fixed width. */
  typlen: number;
  typmod: number;
  /** PostgreSQL text output of a non-null value. */
  toText(value: DruidValue, ctx: OutputContext): string;
  /** PostgreSQL binary (send) output of a non-null value. */
  toBinary(value: DruidValue, ctx: OutputContext): Buffer;
}
