// The one call into the app. Kept apart so tests mock the IPC, not this module.
import { invoke } from '@tauri-apps/api/core';
import type { StatusView } from './status';

/** Asks the app for the device's queue status; rejects with a `CommandError`. */
export function fetchStatus(): Promise<StatusView> {
  return invoke<StatusView>('queue_status');
}
