import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import pageHtml from '../index.html?raw';
import {
  errorTitle,
  formatCount,
  formatTime,
  isCommandError,
  renderError,
  renderStatus,
  toCommandError,
  type StatusView,
} from './status';
import { startPanel, type Panel } from './panel';

const VIEW: StatusView = {
  device_id: '0197a1b2-0000-7000-8000-000000000001',
  data_dir: '/var/lib/checkin',
  pending: 3,
  synced: 1234,
  rejected: 0,
  in_flight: 0,
  conflict: 0,
};

function loadPage(): void {
  const body = /<body>([\s\S]*)<\/body>/.exec(pageHtml)?.[1] ?? '';
  // The module script is not needed: tests start the panel themselves.
  document.body.innerHTML = body.replace(/<script[\s\S]*?<\/script>/g, '');
}

const text = (id: string) => document.getElementById(id)?.textContent;
const hidden = (id: string) => document.getElementById(id)?.hidden;
const panelState = () => document.getElementById('status-panel')?.dataset.state;

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [1234, '1.234'],
    [1234567, '1.234.567'],
    [2.9, '2'],
    [-1, '?'],
    [Number.NaN, '?'],
  ])('%s -> %s', (n, want) => {
    expect(formatCount(n)).toBe(want);
  });
});

describe('formatTime', () => {
  it('pads to hh:mm:ss', () => {
    expect(formatTime(new Date(2026, 10, 23, 7, 5, 9))).toBe('07:05:09');
  });
});

describe('command errors', () => {
  it('keeps a code+message object as it is', () => {
    const e = { code: 'store_newer_schema', message: 'update the app' };
    expect(isCommandError(e)).toBe(true);
    expect(toCommandError(e)).toBe(e);
  });

  it('turns strings and Errors into ipc_failed', () => {
    expect(toCommandError('boom')).toEqual({ code: 'ipc_failed', message: 'boom' });
    expect(toCommandError(new Error('gone'))).toEqual({ code: 'ipc_failed', message: 'gone' });
    expect(isCommandError({ code: 1, message: 'x' })).toBe(false);
    expect(isCommandError(null)).toBe(false);
  });

  it('titles depend on the code only, Vietnamese first', () => {
    expect(errorTitle('store_newer_schema')).toMatch(/^Dữ liệu do phiên bản mới hơn/);
    expect(errorTitle('store_newer_schema')).toContain('update the app');
    expect(errorTitle('something_new')).toBe(errorTitle('store_error'));
  });
});

describe('rendering', () => {
  beforeEach(loadPage);

  it('shows the counts and the device id', () => {
    renderStatus(document, VIEW, new Date(2026, 0, 1, 8, 0, 0));
    expect(text('pending')).toBe('3');
    expect(text('synced')).toBe('1.234');
    expect(text('rejected')).toBe('0');
    expect(text('device-id')).toBe(VIEW.device_id);
    expect(text('data-dir')).toBe('/var/lib/checkin');
    expect(text('updated-at')).toContain('08:00:00');
    expect(hidden('in-flight-line')).toBe(true);
    expect(hidden('conflict-line')).toBe(true);
    expect(hidden('status-error')).toBe(true);
    expect(panelState()).toBe('ok');
  });

  it('shows in-flight and conflict details only when non-zero, and flags rejections', () => {
    renderStatus(document, { ...VIEW, in_flight: 2, rejected: 4, conflict: 1 });
    expect(hidden('in-flight-line')).toBe(false);
    expect(text('in-flight')).toBe('2');
    expect(hidden('conflict-line')).toBe(false);
    expect(text('conflict')).toBe('1');
    expect(panelState()).toBe('attention');
  });

  it('shows an error and clears it on the next good status', () => {
    renderStatus(document, VIEW);
    renderError(document, { code: 'store_newer_schema', message: 'schema 9 > 1' });
    expect(hidden('status-error')).toBe(false);
    expect(text('error-code')).toBe('store_newer_schema');
    expect(text('error-message')).toBe('schema 9 > 1');
    expect(panelState()).toBe('error');
    // Last counts stay, marked stale by the panel state.
    expect(text('pending')).toBe('3');
    renderStatus(document, VIEW);
    expect(hidden('status-error')).toBe(true);
    expect(panelState()).toBe('ok');
  });

  it('shows dashes, not a loading ellipsis, when the first read fails', () => {
    expect(text('pending')).toBe('…');
    renderError(document, { code: 'store_busy', message: 'busy' });
    expect(text('pending')).toBe('—');
    expect(text('device-id')).toBe('—');
  });

  it('has the bilingual labels the staff read', () => {
    const page = document.body.textContent ?? '';
    for (const label of ['Đang chờ gửi', 'Pending', 'Đã đồng bộ', 'Synced', 'Bị từ chối', 'Rejected']) {
      expect(page).toContain(label);
    }
  });
});

describe('panel over the Tauri IPC', () => {
  let panel: Panel | undefined;

  beforeEach(loadPage);
  afterEach(() => {
    panel?.stop();
    panel = undefined;
    clearMocks();
    vi.useRealTimers();
  });

  it('calls queue_status and renders the answer', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === 'queue_status') return { ...VIEW, pending: 5 };
      throw new Error(`unexpected command ${cmd}`);
    });
    panel = startPanel(document, 60_000);
    await panel.refresh();
    expect(calls[0]).toBe('queue_status');
    expect(text('pending')).toBe('5');
  });

  it('shows the error code sent by the app', async () => {
    mockIPC(() => {
      throw { code: 'store_newer_schema', message: 'database was written by a newer version' };
    });
    panel = startPanel(document, 60_000);
    await panel.refresh();
    expect(hidden('status-error')).toBe(false);
    expect(text('error-code')).toBe('store_newer_schema');
    expect(text('error-title')).toMatch(/cập nhật ứng dụng/);
  });

  it('refreshes every interval and on the button', async () => {
    vi.useFakeTimers();
    let pending = 0;
    mockIPC(() => ({ ...VIEW, pending: pending++ }));
    panel = startPanel(document, 2000);
    await vi.advanceTimersByTimeAsync(0);
    expect(text('pending')).toBe('0');
    await vi.advanceTimersByTimeAsync(2000);
    expect(text('pending')).toBe('1');
    await vi.advanceTimersByTimeAsync(2000);
    expect(text('pending')).toBe('2');
    document.getElementById('refresh')?.click();
    await vi.advanceTimersByTimeAsync(0);
    expect(text('pending')).toBe('3');
    panel.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(text('pending')).toBe('3');
  });
});
