/**
 * Settings: defaults, units, and a bad value that stops start-up with a message naming the variable.
 */
import { ConfigError, loadConfig } from '@sessionless/kit';
import { describe, expect, it } from 'vitest';
import { workspaceConfigSchema } from '../src/config.js';

describe('workspace settings', () => {
  it('default to port 3102, 24 h idle, 7 d lifetime, 50 workspaces, 512 KiB files, 32 MiB workspaces', () => {
    expect(loadConfig(workspaceConfigSchema, {})).toMatchObject({
      PORT: 3102,
      WORKSPACE_IDLE_TTL: 86_400_000,
      WORKSPACE_MAX_LIFETIME: 7 * 86_400_000,
      WORKSPACE_QUOTA: 50,
      WORKSPACE_MAX_FILE_BYTES: 524_288,
      WORKSPACE_MAX_BYTES: 33_554_432,
      WORKSPACE_MAX_FILES: 10_000,
    });
  });

  it('read durations with units', () => {
    expect(loadConfig(workspaceConfigSchema, { WORKSPACE_IDLE_TTL: '15m' }).WORKSPACE_IDLE_TTL).toBe(900_000);
  });

  it.each([
    [{ WORKSPACE_QUOTA: '0' }, /WORKSPACE_QUOTA="0"/],
    [{ WORKSPACE_IDLE_TTL: 'soon' }, /WORKSPACE_IDLE_TTL="soon": expected a duration/],
    [
      { WORKSPACE_MAX_FILE_BYTES: '2048', WORKSPACE_MAX_BYTES: '1024' },
      /WORKSPACE_MAX_FILE_BYTES="2048": must not be larger than WORKSPACE_MAX_BYTES/,
    ],
  ])('refuse %j naming the variable', (env, message) => {
    expect(() => loadConfig(workspaceConfigSchema, env)).toThrow(ConfigError);
    expect(() => loadConfig(workspaceConfigSchema, env)).toThrow(message);
  });
});
