import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { loadSettings } from './settings.js';

describe('SETTINGS_TOKENS', () => {
  it('names each write token', () => {
    expect(loadSettings({ SETTINGS_TOKENS: ' alice=s3cret , bob@ops=x=y ' }, []).status.writeTokens).toEqual([
      { name: 'alice', token: 's3cret' },
      { name: 'bob@ops', token: 'x=y' },
    ]);
    expect(loadSettings({}, []).status.writeTokens).toEqual([]);
  });

  it('reports a malformed entry by its position, never by its token', () => {
    let error: unknown;
    try {
      loadSettings({ SETTINGS_TOKENS: 'alice=a,=leaked-secret,bob=,alice=b' }, []);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('env SETTINGS_TOKENS: entry 2: expected name=token');
    expect(message).toContain('env SETTINGS_TOKENS: entry 3: expected name=token');
    expect(message).toContain('env SETTINGS_TOKENS: the name alice is given twice');
    expect(message).not.toContain('leaked-secret');
  });
});
