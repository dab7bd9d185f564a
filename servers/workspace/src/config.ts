/**
 * The workspace server's settings: the shared server settings plus workspace lifetimes, quota
 * and size limits.
 */
import { audienceSetting, duration, port, positiveInt, serverConfigShape } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { FileLimits } from './domain/limits.js';

export interface WorkspaceLimits extends FileLimits {
  idleTtlMs: number;
  absoluteTtlMs: number;
  quotaPerPrincipal: number;
}

export const DEFAULT_WORKSPACE_LIMITS: WorkspaceLimits = {
  idleTtlMs: 86_400_000,
  absoluteTtlMs: 7 * 86_400_000,
  quotaPerPrincipal: 50,
  maxFileBytes: 524_288,
  maxWorkspaceBytes: 33_554_432,
  maxFiles: 10_000,
};

export const workspaceConfigSchema = z
  .object({
    ...serverConfigShape,
    JWT_AUDIENCE: audienceSetting('workspace'),
    PORT: port.default(3102),
    WORKSPACE_IDLE_TTL: duration.default(DEFAULT_WORKSPACE_LIMITS.idleTtlMs),
    WORKSPACE_MAX_LIFETIME: duration.default(DEFAULT_WORKSPACE_LIMITS.absoluteTtlMs),
    WORKSPACE_QUOTA: positiveInt.default(DEFAULT_WORKSPACE_LIMITS.quotaPerPrincipal),
    WORKSPACE_MAX_FILE_BYTES: positiveInt.default(DEFAULT_WORKSPACE_LIMITS.maxFileBytes),
    WORKSPACE_MAX_BYTES: positiveInt.default(DEFAULT_WORKSPACE_LIMITS.maxWorkspaceBytes),
    WORKSPACE_MAX_FILES: positiveInt.default(DEFAULT_WORKSPACE_LIMITS.maxFiles),
  })
  .refine((config) => config.WORKSPACE_MAX_FILE_BYTES <= config.WORKSPACE_MAX_BYTES, {
    path: ['WORKSPACE_MAX_FILE_BYTES'],
    message: 'must not be larger than WORKSPACE_MAX_BYTES',
  });

export type WorkspaceConfig = z.infer<typeof workspaceConfigSchema>;
