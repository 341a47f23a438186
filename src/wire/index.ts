/** Public API of the pure pgwire codec: frontend decoding, backend encoding, protocol constants and message types. */
export * from './constants.js';
export type * from './messages.js';
export { FrontendDecoder, type FrontendDecoderOptions } from './frontend-decoder.js';
export { parsePasswordMessage, parseSASLInitialResponse } from './password-payload.js';
export { BackendWriter } from './backend-writer.js';
