// Wires the status panel: refresh now, every interval, and on the button.
import { fetchStatus } from './api';
import { renderError, renderStatus, toCommandError } from './status';

/** How often the panel asks for fresh counts. */
export const REFRESH_MS = 2000;

export interface Panel {
  /** Fetches and renders once; resolves when the page shows the result. */
  refresh(): Promise<void>;
  /** Stops the periodic refresh. */
  stop(): void;
}

/**
 * Starts the panel in `doc`. Refreshes never overlap: the next one is
 * scheduled only after the previous finished, so a slow disk cannot pile up
 * calls.
 */
export function startPanel(doc: Document, intervalMs: number = REFRESH_MS): Panel {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let inFlight: Promise<void> | undefined;

  const once = async () => {
    try {
      renderStatus(doc, await fetchStatus());
    } catch (e) {
      renderError(doc, toCommandError(e));
    }
  };

  const refresh = (): Promise<void> => {
    if (!inFlight) {
      inFlight = once().finally(() => {
        inFlight = undefined;
      });
    }
    return inFlight;
  };

  const loop = async () => {
    await refresh();
    if (!stopped) timer = setTimeout(loop, intervalMs);
  };

  doc.getElementById('refresh')?.addEventListener('click', () => {
    void refresh();
  });
  void loop();

  return {
    refresh,
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
