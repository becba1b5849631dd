// The status panel: what the `queue_status` command returns and how the page
// shows it. Pure functions over a Document so the tests run without the app.

/** What `queue_status` returns (see src-tauri/src/commands.rs `StatusView`). */
export interface StatusView {
  device_id: string;
  data_dir: string;
  pending: number;
  synced: number;
  rejected: number;
  in_flight: number;
  conflict: number;
}

/** An error from a command: branch on `code`, only display `message`. */
export interface CommandError {
  code: string;
  message: string;
}

const COUNT_FORMAT = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });

/** A count as shown to staff: Vietnamese digit grouping (1.234.567). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  return COUNT_FORMAT.format(Math.trunc(n));
}

/** Time of the last successful refresh, 24-hour clock, seconds shown. */
export function formatTime(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** True for values shaped like a command error. */
export function isCommandError(e: unknown): e is CommandError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as CommandError).code === 'string' &&
    typeof (e as CommandError).message === 'string'
  );
}

/** Anything thrown by `invoke` as a command error; strings and Errors become `ipc_failed`. */
export function toCommandError(e: unknown): CommandError {
  if (isCommandError(e)) return e;
  if (e instanceof Error) return { code: 'ipc_failed', message: e.message };
  return { code: 'ipc_failed', message: String(e) };
}

/** Title for an error code, Vietnamese first, with what staff should do. */
export function errorTitle(code: string): string {
  switch (code) {
    case 'store_newer_schema':
      return 'Dữ liệu do phiên bản mới hơn tạo ra — hãy cập nhật ứng dụng / Data written by a newer version — update the app';
    case 'store_read_only':
      return 'Không ghi được vào thư mục dữ liệu / The data folder is read-only';
    case 'disk_full':
      return 'Ổ đĩa đã đầy / The disk is full';
    case 'store_busy':
      return 'Cơ sở dữ liệu đang bận, sẽ thử lại / The database is busy, retrying';
    case 'store_corrupt':
      return 'Tệp dữ liệu bị hỏng / The data file is damaged';
    case 'no_data_dir':
    case 'data_dir_unavailable':
      return 'Không tìm thấy thư mục dữ liệu / No data folder';
    case 'ipc_failed':
      return 'Không liên lạc được với ứng dụng / Cannot reach the app';
    default:
      return 'Không đọc được hàng đợi / Cannot read the queue';
  }
}

function byId(doc: Document, id: string): HTMLElement {
  const el = doc.getElementById(id);
  if (!el) throw new Error(`status panel is missing #${id}`);
  return el;
}

/** Shows the counts and hides any earlier error. */
export function renderStatus(doc: Document, view: StatusView, at: Date = new Date()): void {
  byId(doc, 'pending').textContent = formatCount(view.pending);
  byId(doc, 'synced').textContent = formatCount(view.synced);
  byId(doc, 'rejected').textContent = formatCount(view.rejected);
  byId(doc, 'in-flight').textContent = formatCount(view.in_flight);
  byId(doc, 'in-flight-line').hidden = view.in_flight === 0;
  byId(doc, 'conflict').textContent = formatCount(view.conflict);
  byId(doc, 'conflict-line').hidden = view.conflict === 0;
  byId(doc, 'device-id').textContent = view.device_id;
  byId(doc, 'data-dir').textContent = view.data_dir;
  byId(doc, 'updated-at').textContent = `Cập nhật / Updated ${formatTime(at)}`;
  byId(doc, 'status-error').hidden = true;
  byId(doc, 'status-panel').dataset.state = view.rejected > 0 ? 'attention' : 'ok';
}

/**
 * Shows an error. The last counts stay visible but are marked stale by the
 * panel state, so staff never read old numbers as current.
 */
export function renderError(doc: Document, err: CommandError): void {
  const panel = byId(doc, 'status-panel');
  if (panel.dataset.state === 'loading') {
    // Nothing was ever read: show a dash rather than a "loading" ellipsis.
    for (const id of ['pending', 'synced', 'rejected', 'device-id']) byId(doc, id).textContent = '—';
  }
  byId(doc, 'error-title').textContent = errorTitle(err.code);
  byId(doc, 'error-message').textContent = err.message;
  byId(doc, 'error-code').textContent = err.code;
  byId(doc, 'status-error').hidden = false;
  panel.dataset.state = 'error';
}
