// The full-width verdict at the gate. Colour is never the only signal: each
// tone has its own icon and a big word (ĐƯỢC VÀO / CHƯA KHAI BÁO / KHÔNG ĐƯỢC VÀO).
// data-testid="verdict", data-level="green|amber|red|none".
import type { ComponentChildren } from 'preact';
import type { AdmissionView, GateAction } from '../verdict';
import { t } from '../i18n';

const ICON: Record<AdmissionView['tone'] | 'idle', string> = {
  green: '✔',
  amber: '!',
  red: '✖',
  grey: '?',
  idle: '⌖',
};

export interface VerdictBannerProps {
  view: AdmissionView | null;
  /** Shown under the name: time and direction, already formatted. */
  meta?: ComponentChildren;
  onAction?: (a: GateAction) => void;
  /** Changes on every new verdict so the banner flashes again. */
  seq?: number;
}

export function VerdictBanner({ view, meta, onAction, seq }: VerdictBannerProps) {
  if (!view) {
    return (
      <section class="verdict" data-testid="verdict" data-level="none" data-tone="idle" role="status" aria-live="polite">
        <div class="verdict-icon" aria-hidden="true">
          {ICON.idle}
        </div>
        <p class="verdict-title">{t('gate.ready')}</p>
        <p class="verdict-meta">{t('gate.readyHint')}</p>
      </section>
    );
  }
  const label: Record<GateAction, string> = {
    kiosk: t('gate.toKiosk'),
    paper: t('gate.toPaper'),
    manual: t('gate.manual'),
  };
  return (
    <section
      key={seq}
      class="verdict flash"
      data-testid="verdict"
      data-level={view.level}
      data-tone={view.tone}
      data-kind={view.kind}
      role="alert"
      aria-live="assertive"
    >
      <div class="verdict-icon" aria-hidden="true">
        {ICON[view.tone]}
      </div>
      <p class="verdict-title" data-testid="verdict-title">
        {view.title}
      </p>
      {view.name ? (
        <p class="verdict-name" data-testid="verdict-name">
          {view.name}
        </p>
      ) : (
        <p class="verdict-meta">{view.detail}</p>
      )}
      <div class="verdict-body">
        {(meta || (view.name && view.detail)) && (
          <div class="verdict-meta">
            {meta}
            {view.name && view.detail ? <> · {view.detail}</> : null}
          </div>
        )}
        {view.reasons.length > 0 && (
          <ul data-testid="verdict-reasons">
            {view.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        )}
      </div>
      {onAction && view.actions.length > 0 && (
        <div class="verdict-actions">
          {view.actions.map((a) => (
            <button type="button" class="btn btn-secondary btn-lg" data-action={a} key={a} onClick={() => onAction(a)}>
              {label[a]}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
