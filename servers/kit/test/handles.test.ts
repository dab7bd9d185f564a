import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DomainError,
  Handles,
  SqliteHandleStore,
  handleMigrations,
  openDatabase,
  type Database,
  type HandleKind,
} from '../src/index.js';
import { tempDir } from '../src/testing.js';

const widget: HandleKind = {
  prefix: 'wdg',
  noun: 'widget',
  createTool: 'widget_create',
  listTool: 'widget_list',
  idArgument: 'widget_id',
  idleTtlMs: 1_000,
  absoluteTtlMs: 10_000,
  quotaPerPrincipal: 3,
};

let dir: ReturnType<typeof tempDir>;
let db: Database;
let clock: number;
let ended: string[];
let handles: Handles;

beforeEach(() => {
  dir = tempDir();
  db = openDatabase({ dataDir: dir.path, name: 'handles', migrations: handleMigrations });
  clock = 1_000_000;
  ended = [];
  handles = new Handles({
    store: new SqliteHandleStore(db),
    now: () => clock,
    tombstoneMs: 60_000,
    onEnded: (record) => void ended.push(record.id),
  });
});

afterEach(() => {
  db.close();
  dir.remove();
});

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('handles', () => {
  it('mints opaque ids: the prefix plus 22 base64url characters (128 random bits), all distinct', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add((await handles.create(widget, `user-${i}`)).id);
    for (const id of ids) expect(id).toMatch(/^wdg_[A-Za-z0-9_-]{22}$/);
    expect(ids.size).toBe(3);
  });

  it('resolves a live handle for its owner and refreshes its idle deadline', async () => {
    const { id } = await handles.create(widget, 'alice');
    clock += 900;
    await handles.resolveOrThrow(widget, 'alice', id);
    clock += 900; // 1.8 s after creation but only 0.9 s after last use: still live
    const record = await handles.resolveOrThrow(widget, 'alice', id);
    expect(record.principal).toBe('alice');
  });

  it("answers another principal's handle exactly like one that never existed", async () => {
    const { id } = await handles.create(widget, 'alice');
    const stolen = await refusal(handles.resolveOrThrow(widget, 'mallory', id));
    const neverExisted = `wdg_${'A'.repeat(22)}`;
    const unknown = await refusal(handles.resolveOrThrow(widget, 'mallory', neverExisted));
    expect(stolen.code).toBe('HANDLE_NOT_FOUND');
    expect(unknown.code).toBe('HANDLE_NOT_FOUND');
    expect(stolen.message.replace(id, '<id>')).toBe(unknown.message.replace(neverExisted, '<id>'));
  });

  it('refuses malformed, truncated and other-kind ids with the rule they broke', async () => {
    const { id } = await handles.create(widget, 'alice');
    expect((await refusal(handles.resolveOrThrow(widget, 'alice', id.slice(0, -1)))).code).toBe('HANDLE_MALFORMED');
    expect((await refusal(handles.resolveOrThrow(widget, 'alice', 'hello'))).message).toContain(
      '"wdg_" followed by 22 characters',
    );
    const other = await refusal(handles.resolveOrThrow(widget, 'alice', `cart_${id.slice(4)}`));
    expect(other.code).toBe('HANDLE_WRONG_KIND');
    expect(other.message).toContain('not a widget id');
  });

  it('says expired after the idle TTL, names the create tool, and frees the state once', async () => {
    const { id } = await handles.create(widget, 'alice');
    clock += 1_001;
    const error = await refusal(handles.resolveOrThrow(widget, 'alice', id));
    expect(error.code).toBe('HANDLE_EXPIRED');
    expect(error.message).toMatch(/has expired.*widget_create/);
    await refusal(handles.resolveOrThrow(widget, 'alice', id));
    expect(ended).toEqual([id]);
  });

  it('expires at the absolute deadline even when used all along', async () => {
    const { id } = await handles.create(widget, 'alice');
    for (let t = 0; t < 10; t++) {
      clock += 999;
      await handles.resolveOrThrow(widget, 'alice', id);
    }
    clock += 20;
    expect((await refusal(handles.resolveOrThrow(widget, 'alice', id))).code).toBe('HANDLE_EXPIRED');
  });

  it('forgets tombstones after their retention: expired becomes not found', async () => {
    const { id } = await handles.create(widget, 'alice');
    clock += 2_000;
    expect(await handles.sweep()).toEqual({ expired: 1, purged: 0 });
    expect((await refusal(handles.resolveOrThrow(widget, 'alice', id))).code).toBe('HANDLE_EXPIRED');
    clock += 61_000;
    expect((await handles.sweep()).purged).toBe(1);
    expect((await refusal(handles.resolveOrThrow(widget, 'alice', id))).code).toBe('HANDLE_NOT_FOUND');
  });

  it('destroy ends the handle, frees its state and says destroyed afterwards', async () => {
    const { id } = await handles.create(widget, 'alice');
    await handles.destroy(widget, 'alice', id);
    expect(ended).toEqual([id]);
    expect((await refusal(handles.resolveOrThrow(widget, 'alice', id))).code).toBe('HANDLE_DESTROYED');
    expect((await refusal(handles.destroy(widget, 'mallory', id))).code).toBe('HANDLE_NOT_FOUND');
  });

  it("lists only the caller's live handles of the kind", async () => {
    const a1 = await handles.create(widget, 'alice');
    const a2 = await handles.create(widget, 'alice');
    await handles.create(widget, 'bob');
    await handles.create({ ...widget, prefix: 'gdg' }, 'alice');
    await handles.destroy(widget, 'alice', a2.id);
    expect((await handles.listMine(widget, 'alice')).map((h) => h.id)).toEqual([a1.id]);
  });

  it('enforces the per-principal quota, counting only live handles, without affecting others', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await handles.create(widget, 'alice'));
    const error = await refusal(handles.create(widget, 'alice'));
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.message).toContain('widget_list');
    await handles.create(widget, 'bob');
    await handles.destroy(widget, 'alice', made[0]!.id);
    await handles.create(widget, 'alice');
  });

  it('the sweeper expires idle handles and reports what it freed', async () => {
    await handles.create(widget, 'alice');
    const kept = await handles.create({ ...widget, idleTtlMs: 5_000 }, 'alice');
    clock += 1_500;
    expect((await handles.sweep()).expired).toBe(1);
    expect(ended).not.toContain(kept.id);
    expect((await handles.countLive()).get('wdg')).toBe(1);
  });
});
