import type { GucStore } from './gucs.js';
import type { OutputContext } from '../types/pg-type.js';

/** The settings values are printed with (TimeZone, DateStyle, extra_float_digits), for the gateway's encoders and the driver's values. */
export function outputContextOf(gucs: GucStore): OutputContext {
  return {
    timeZone: gucs.get('timezone') ?? 'UTC',
    dateStyle: gucs.get('datestyle') ?? 'ISO, MDY',
    extraFloatDigits: Number(gucs.get('extra_float_digits') ?? '1'),
  };
}
