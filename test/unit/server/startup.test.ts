import { describe, expect, it } from 'vitest';
import { readStartup, settingsFromOptions, splitOptions } from '../../../src/server/startup.js';
import type { StartupMessage } from '../../../src/wire/messages.js';

const startup = (params: Record<string, string>, minor = 0): StartupMessage => ({
  type: 'Startup',
  majorVersion: 3,
  minorVersion: minor,
  parameters: new Map(Object.entries(params)),
});

describe('startup', () => {
  it('splits options with backslash escapes', () => {
    expect(splitOptions('-c a=1  -c b=two\\ words')).toEqual(['-c', 'a=1', '-c', 'b=two words']);
  });

  it('reads -c, -cname and --name settings from options', () => {
    expect(settingsFromOptions('-c search_path=x -cstatement_timeout=5s --application-name=tool')).toEqual([
      ['search_path', 'x'],
      ['statement_timeout', '5s'],
      ['application_name', 'tool'],
    ]);
    expect(() => settingsFromOptions('-x')).toThrow(expect.objectContaining({ code: '08P01' }));
  });

  it('keeps unknown parameters as settings and defaults the database to the user', () => {
    const info = readStartup(startup({ user: 'ann', client_encoding: 'UTF8', options: '-c TimeZone=UTC', extra: 'x' }));
    expect(info.user).toBe('ann');
    expect(info.database).toBe('ann');
    expect(info.settings).toEqual([['client_encoding', 'UTF8'], ['TimeZone', 'UTC'], ['extra', 'x']]);
    expect(info.negotiate).toBe(false);
  });

  it('negotiates down from 3.2 and reports _pq_ options', () => {
    const info = readStartup(startup({ user: 'u', database: 'd', '_pq_.compression': 'on' }, 2));
    expect(info.negotiate).toBe(true);
    expect(info.unknownProtocolOptions).toEqual(['_pq_.compression']);
  });

  it('refuses a missing user, protocol 2 and replication', () => {
    expect(() => readStartup(startup({ database: 'd' }))).toThrow('no PostgreSQL user name specified in startup packet');
    expect(() => readStartup({ ...startup({ user: 'u' }), majorVersion: 2 })).toThrow(expect.objectContaining({ code: '0A000' }));
    expect(() => readStartup(startup({ user: 'u', replication: 'database' }))).toThrow(/replication/);
  });
});
