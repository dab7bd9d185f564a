/**
 * The handles `check` creates, and what it may write: by default only a kind whose destroy tool
 * removes what the check made (create, use, destroy: nothing is left); `--allow-writes` also a
 * kind without one (left to expire) and a use through a tool annotated safe to repeat;
 * `--read-only` nothing. Ids alternate over the instances so each instance mints some.
 */
import type { CheckClient } from './client.js';
import type { Samples } from './handle-checks.js';
import { idFrom, type HandleKind } from './handles.js';
import type { WritePolicy } from './report.js';
import type { Principal } from './wire.js';

export async function createSamples(
  client: CheckClient,
  kind: HandleKind,
  principal: Principal,
  policy: WritePolicy,
  count: number,
): Promise<Samples> {
  const samples: Samples = { kind, ids: [], createProblem: null, destroyed: new Set() };
  const arg = kind.argument;
  if (policy === 'read-only') {
    samples.createProblem = {
      status: 'skip',
      detail: `not run: --read-only forbids ${kind.create.tool}, and these checks need a ${arg}.`,
      fix: null,
    };
    return samples;
  }
  if (!kind.destroy && policy !== 'allow-writes') {
    samples.createProblem = {
      status: 'skip',
      detail: `not run: no tool destroys a ${arg}, so one made by ${kind.create.tool} would be left to expire; pass --allow-writes to allow it.`,
      fix: null,
    };
    return samples;
  }
  for (let i = 0; i < count; i++) {
    const instance = i % client.wire.instances;
    const made = await client.call(instance, kind.create.tool, kind.create.arguments, principal);
    const id = made.isError ? null : idFrom(kind, made.structured, made.text);
    if (id) {
      samples.ids.push(id);
      continue;
    }
    if (samples.ids.length === 0) {
      samples.createProblem = {
        status: 'fail',
        detail: made.isError
          ? `${kind.create.tool} on instance ${instance + 1} failed (${made.failure ?? `tool error "${made.text.slice(0, 120)}"`}), so no ${arg} could be checked.`
          : `${kind.create.tool} succeeded but its result holds no ${arg} the check could find.`,
        fix: made.isError
          ? `Make ${kind.create.tool} work with its defaults, or give its arguments in a --handles FILE.`
          : `Return the new id as structuredContent.${arg} (with an outputSchema), or declare "result" or "resultPattern" in a --handles FILE.`,
      };
    }
    break;
  }
  return samples;
}

/** Ends every sample the checks did not end, each on another instance than the one that made it. */
export async function destroySamples(client: CheckClient, samples: Samples, principal: Principal): Promise<void> {
  const destroy = samples.kind.destroy;
  if (!destroy) return;
  for (const [i, id] of samples.ids.entries()) {
    if (samples.destroyed.has(id)) continue;
    // Another instance first (more evidence); the one that made it if that fails (a server that
    // keeps handles in memory), so the check leaves nothing behind either way.
    for (const instance of new Set([(i + 1) % client.wire.instances, i % client.wire.instances])) {
      const args = { ...destroy.arguments, [samples.kind.argument]: id };
      if (!(await client.call(instance, destroy.tool, args, principal)).isError) {
        samples.destroyed.add(id);
        break;
      }
    }
  }
}

/** Why a handle cannot be used without writing, or '' when a read-only (or allowed) tool takes it. */
export function useProblemOf(kind: HandleKind, policy: WritePolicy): string {
  if (kind.read) return '';
  if (kind.idempotentUse && policy === 'allow-writes') return '';
  return kind.idempotentUse
    ? `not run: no read-only tool takes ${kind.argument}; pass --allow-writes to use ${kind.idempotentUse.tool} (annotated safe to repeat), or declare a read call in --handles FILE.`
    : `not run: no tool that changes nothing takes ${kind.argument}; declare a read call in --handles FILE.`;
}
