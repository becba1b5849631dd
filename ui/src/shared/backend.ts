// The station's backend as the UI sees it: one typed method per Tauri
// command (named exactly like the command, taking exactly its argument
// object) and `on` for the events the Rust side pushes. Two implementations:
// `tauri-backend.ts` (the app) and `fake-backend.ts` (browser tests, `npm run dev`).
import type {
  Admission,
  CameraInfo,
  CameraState,
  CommandError,
  Declaration,
  Declared,
  Direction,
  EnrollInput,
  HealthUpdateInput,
  PaperDeclaration,
  PaperVisit,
  QuarantineCase,
  QuarantineRegistration,
  RejectedRecord,
  SameDayRecord,
  ScanEvent,
  Settings,
  SettingsPatch,
  StationStatus,
  SyncState,
  TypedPerson,
  Unit,
} from './gen';

/** A command that takes no arguments. */
export type NoArgs = Record<string, never>;

/** One 8-bit luma frame grabbed by the WebView camera (settings.camera == "webview"). */
export interface LumaFrame {
  luma: Uint8Array;
  width: number;
  height: number;
}

/**
 * Every command: name -> [argument object, result]. `camera_frame` is the one
 * command whose body is raw bytes (the frame) with the size in headers.
 */
export interface Commands {
  station_status: [NoArgs, StationStatus];
  ui_ready: [NoArgs, void];
  gate_admit: [{ code: string; direction: Direction }, Admission];
  gate_manual: [{ person: TypedPerson; direction: Direction }, Admission];
  gate_recent: [{ limit: number }, Admission[]];
  /** The entry/exit toggle, for the scans the camera makes. */
  gate_set_direction: [{ direction: Direction }, void];
  camera_list: [NoArgs, CameraInfo[]];
  camera_start: [{ source: string }, CameraState];
  camera_stop: [NoArgs, CameraState];
  camera_frame: [LumaFrame, void];
  kiosk_declare: [{ declaration: Declaration }, Declared];
  kiosk_unlock: [{ pin: string }, boolean];
  set_kiosk_pin: [{ old_pin: string | null; new_pin: string }, void];
  units: [{ parent: string | null }, Unit[]];
  paper_declare: [{ input: PaperDeclaration }, Declared];
  paper_visit: [{ input: PaperVisit }, Admission];
  same_day: [{ person: TypedPerson; date: string }, SameDayRecord[]];
  quarantine_list: [NoArgs, QuarantineCase[]];
  quarantine_register: [{ input: QuarantineRegistration }, QuarantineCase];
  quarantine_find: [{ code: string }, QuarantineCase | null];
  quarantine_update: [{ input: HealthUpdateInput }, QuarantineCase];
  sync_now: [NoArgs, void];
  rejected_list: [NoArgs, RejectedRecord[]];
  rejected_requeue: [{ seq: number }, void];
  rejected_fix_venue: [{ seq: number; venue_id: string }, void];
  enroll: [{ input: EnrollInput }, StationStatus];
  settings_update: [{ patch: SettingsPatch }, Settings];
}

export type CommandName = keyof Commands;

/**
 * The command names, in one list: the lead's Rust test compares it with the
 * commands the app registers.
 */
export const COMMANDS = [
  'station_status',
  'ui_ready',
  'gate_admit',
  'gate_manual',
  'gate_recent',
  'gate_set_direction',
  'camera_list',
  'camera_start',
  'camera_stop',
  'camera_frame',
  'kiosk_declare',
  'kiosk_unlock',
  'set_kiosk_pin',
  'units',
  'paper_declare',
  'paper_visit',
  'same_day',
  'quarantine_list',
  'quarantine_register',
  'quarantine_find',
  'quarantine_update',
  'sync_now',
  'rejected_list',
  'rejected_requeue',
  'rejected_fix_venue',
  'enroll',
  'settings_update',
] as const satisfies readonly CommandName[];

// Compile-time check that COMMANDS lists every command of `Commands`.
type Unlisted = Exclude<CommandName, (typeof COMMANDS)[number]>;
const everyCommandListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyCommandListed;

/** Events pushed by the Rust side: name -> payload. */
export interface Events {
  'station://status': StationStatus;
  'station://scan': ScanEvent;
  'station://sync': SyncState;
  'station://camera': CameraState;
}

export type EventName = keyof Events;

export const EVENTS = [
  'station://status',
  'station://scan',
  'station://sync',
  'station://camera',
] as const satisfies readonly EventName[];

type Unlistened = Exclude<EventName, (typeof EVENTS)[number]>;
const everyEventListed: [Unlistened] extends [never] ? true : Unlistened = true;
void everyEventListed;

type Method<A, R> = [NoArgs] extends [A] ? (args?: A) => Promise<R> : (args: A) => Promise<R>;

/** The backend: `backend.gate_admit({ code, direction })` is `invoke('gate_admit', { code, direction })`. */
export type Backend = { [K in CommandName]: Method<Commands[K][0], Commands[K][1]> } & {
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, handler: (payload: Events[E]) => void): () => void;
  /** Which implementation this is (shown in the status screen). */
  readonly kind: 'tauri' | 'fake';
};

/** True for values shaped like a command error. */
export function isCommandError(e: unknown): e is CommandError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as CommandError).code === 'string' &&
    typeof (e as CommandError).message === 'string'
  );
}

/** Anything a command rejected with, as a command error (strings and Errors become `ipc_failed`). */
export function toCommandError(e: unknown): CommandError {
  if (isCommandError(e)) return e;
  if (e instanceof Error) return { code: 'ipc_failed', message: e.message };
  return { code: 'ipc_failed', message: String(e) };
}
