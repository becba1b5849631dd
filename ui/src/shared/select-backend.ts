// Picks the backend at start-up: the app's IPC when running inside Tauri,
// else the in-memory fake (loaded on demand, so the app bundle's first chunk
// does not carry it).
import type { Backend } from './backend';
import { createTauriBackend } from './tauri-backend';

/** True inside the Tauri WebView (its IPC bridge is injected before any script runs). */
export function insideTauri(win: object = globalThis): boolean {
  return '__TAURI_INTERNALS__' in win;
}

/** The backend for this page. */
export async function selectBackend(
  win: object = globalThis,
  loadFake: () => Promise<Backend> = async () => (await import('./fake-backend')).createFakeBackend(),
): Promise<Backend> {
  return insideTauri(win) ? createTauriBackend() : loadFake();
}
