/** The notice by which set_config() reports that it ran (bootstrap.ts: SETTINGS_NOTICE_CODE). */
import { SETTINGS_NOTICE_CODE } from './bootstrap.js';
import { codeOf, errorFields } from '../wire/backend-reader.js';
import { BackendCode, ErrorFieldCode } from '../wire/constants.js';

function isSettingsNotice(frame: Buffer): boolean {
  return codeOf(frame) === BackendCode.NoticeResponse && errorFields(frame).get(ErrorFieldCode.Code) === SETTINGS_NOTICE_CODE;
}

/**
 * Takes set_config()'s notices out of a reply. `setConfig`: at least one was there. A client can
 * raise such a notice itself only through set_config() (no DO or CREATE FUNCTION reaches the
 * engine), and a false one only makes the gateway apply the session's settings again.
 */
export function takeSettingsNotices(frames: Buffer[]): { frames: Buffer[]; setConfig: boolean } {
  if (!frames.some(isSettingsNotice)) return { frames, setConfig: false };
  return { frames: frames.filter((frame) => !isSettingsNotice(frame)), setConfig: true };
}
