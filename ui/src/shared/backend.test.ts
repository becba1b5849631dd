import { describe, expect, it, vi } from 'vitest';
import { COMMANDS, EVENTS, toCommandError, isCommandError } from './backend';
import { createTauriBackend } from './tauri-backend';
import { insideTauri, selectBackend } from './select-backend';

describe('the command list', () => {
  it('names each command once', () => {
    expect(new Set(COMMANDS).size).toBe(COMMANDS.length);
    expect(COMMANDS).toContain('station_status');
    expect(COMMANDS).toContain('camera_frame');
    expect(EVENTS).toEqual(['station://status', 'station://scan', 'station://sync', 'station://camera']);
  });
});

describe('Tauri backend', () => {
  it('invokes each command by name with its argument object as is (snake_case keys)', async () => {
    const invoke = vi.fn(async (_cmd: string, _args?: unknown, _opts?: unknown) => 'ok');
    const b = createTauriBackend(invoke, vi.fn());
    await b.set_kiosk_pin({ old_pin: null, new_pin: '2468' });
    expect(invoke).toHaveBeenLastCalledWith('set_kiosk_pin', { old_pin: null, new_pin: '2468' });
    await b.station_status();
    expect(invoke).toHaveBeenLastCalledWith('station_status', {});
    await b.rejected_fix_venue({ seq: 41, venue_id: '01-00001-P3X8D2' });
    expect(invoke).toHaveBeenLastCalledWith('rejected_fix_venue', { seq: 41, venue_id: '01-00001-P3X8D2' });
    for (const name of COMMANDS) expect(typeof (b as unknown as Record<string, unknown>)[name], name).toBe('function');
    expect(b.kind).toBe('tauri');
  });

  it('sends camera frames as raw bytes with the size in headers', async () => {
    const invoke = vi.fn(async () => undefined);
    const b = createTauriBackend(invoke, vi.fn());
    const luma = new Uint8Array([1, 2, 3, 4, 5, 6]);
    await b.camera_frame({ luma, width: 3, height: 2 });
    expect(invoke).toHaveBeenCalledWith('camera_frame', luma, { headers: { 'x-width': '3', 'x-height': '2' } });
  });

  it('rejects with CommandError whatever the IPC threw', async () => {
    const b = createTauriBackend(
      vi.fn(async (cmd: string) => {
        if (cmd === 'units') throw { code: 'store_busy', message: 'database is locked' };
        throw new Error('IPC gone');
      }),
      vi.fn(),
    );
    await expect(b.units({ parent: null })).rejects.toEqual({ code: 'store_busy', message: 'database is locked' });
    await expect(b.sync_now()).rejects.toEqual({ code: 'ipc_failed', message: 'IPC gone' });
    expect(toCommandError('boom')).toEqual({ code: 'ipc_failed', message: 'boom' });
    expect(isCommandError({ code: 'x', message: 'y', fields: null })).toBe(true);
  });

  it('listens to events and unsubscribes even before listen resolved', async () => {
    let resolve!: (u: () => void) => void;
    const unlisten = vi.fn();
    const handlers: ((e: { payload: unknown }) => void)[] = [];
    const listen = vi.fn((_event: string, h: (e: { payload: unknown }) => void) => {
      handlers.push(h);
      return new Promise<() => void>((r) => (resolve = r));
    });
    const b = createTauriBackend(vi.fn(), listen);
    const seen: unknown[] = [];
    const off = b.on('station://sync', (s) => seen.push(s));
    expect(listen).toHaveBeenCalledWith('station://sync', expect.any(Function));
    handlers[0]({ payload: { phase: 'idle' } });
    expect(seen).toEqual([{ phase: 'idle' }]);
    off();
    resolve(unlisten);
    await Promise.resolve();
    await Promise.resolve();
    expect(unlisten).toHaveBeenCalledTimes(1);
  });
});

describe('backend selection', () => {
  it('uses Tauri inside the app and the fake elsewhere', async () => {
    expect(insideTauri({ __TAURI_INTERNALS__: {} })).toBe(true);
    expect(insideTauri({})).toBe(false);
    const loadFake = vi.fn(async () => ({ kind: 'fake' }) as never);
    expect((await selectBackend({ __TAURI_INTERNALS__: {} }, loadFake)).kind).toBe('tauri');
    expect(loadFake).not.toHaveBeenCalled();
    expect((await selectBackend({}, loadFake)).kind).toBe('fake');
    expect(loadFake).toHaveBeenCalledTimes(1);
  });

  it('loads the real fake module by default', async () => {
    const b = await selectBackend({});
    expect(b.kind).toBe('fake');
    expect((await b.station_status()).device_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
