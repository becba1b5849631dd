// The backend inside the app: every command is `invoke(name, args)` with the
// argument object passed as is (snake_case keys), every event a `listen`.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import {
  COMMANDS,
  toCommandError,
  type Backend,
  type CommandName,
  type Commands,
  type EventName,
  type Events,
  type LumaFrame,
} from './backend';

type Invoke = (cmd: string, args?: unknown, options?: { headers: Record<string, string> }) => Promise<unknown>;
type Listen = (event: string, handler: (e: { payload: unknown }) => void) => Promise<() => void>;

/**
 * Builds the Tauri backend. `invokeFn` and `listenFn` default to the real
 * ones; tests pass recorders.
 */
export function createTauriBackend(
  invokeFn: Invoke = invoke as Invoke,
  listenFn: Listen = listen as unknown as Listen,
): Backend {
  const call = async (name: CommandName, args: unknown): Promise<unknown> => {
    try {
      if (name === 'camera_frame') {
        const f = args as LumaFrame;
        // Raw body: the luma bytes; the size travels in headers.
        return await invokeFn('camera_frame', f.luma, {
          headers: { 'x-width': String(f.width), 'x-height': String(f.height) },
        });
      }
      return await invokeFn(name, args ?? {});
    } catch (e) {
      throw toCommandError(e);
    }
  };

  const backend: Record<string, unknown> = {
    kind: 'tauri',
    on<E extends EventName>(event: E, handler: (payload: Events[E]) => void): () => void {
      let unlisten: (() => void) | undefined;
      let cancelled = false;
      listenFn(event, (e) => handler(e.payload as Events[E])).then(
        (u) => {
          if (cancelled) u();
          else unlisten = u;
        },
        (err) => console.error(`listen ${event} failed`, err),
      );
      return () => {
        cancelled = true;
        unlisten?.();
      };
    },
  };
  for (const name of COMMANDS) {
    backend[name] = (args?: Commands[typeof name][0]) => call(name, args);
  }
  return backend as unknown as Backend;
}
