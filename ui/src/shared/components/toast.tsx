// Short messages in a corner: saved, synced, what went wrong. They leave by
// themselves (errors stay longer) or by their close button.
import { signal } from '@preact/signals';
import { t } from '../i18n';

export type ToastKind = 'info' | 'ok' | 'warn' | 'error';

export interface Toast {
  id: number;
  text: string;
  kind: ToastKind;
}

export const toasts = signal<Toast[]>([]);
let next = 1;

export function dismissToast(id: number): void {
  toasts.value = toasts.value.filter((x) => x.id !== id);
}

/** Shows a toast; returns its id. */
export function toast(text: string, kind: ToastKind = 'info', ms = kind === 'error' ? 12_000 : 5_000): number {
  const id = next++;
  // The same message again replaces the one shown (no pile of "Saved.").
  toasts.value = [...toasts.value.filter((x) => x.text !== text).slice(-2), { id, text, kind }];
  if (ms > 0) setTimeout(() => dismissToast(id), ms);
  return id;
}

export function Toasts() {
  return (
    <div class="toasts no-print" aria-live="polite" data-testid="toasts">
      {toasts.value.map((x) => (
        <div class={`toast toast-${x.kind}`} key={x.id} role={x.kind === 'error' ? 'alert' : 'status'} data-kind={x.kind}>
          <p>{x.text}</p>
          <button type="button" aria-label={t('common.dismiss')} onClick={() => dismissToast(x.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
