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
  idle: '',
};

/** A scanner viewfinder (the idle banner's icon; no font has a good glyph for it). */
function ViewfinderIcon() {
  return (
    <svg viewBox="0 0 24 24" width="56" height="56" aria-hidden="true" focusable="false">
      <path
        d="M3 8V4a1 1 0 0 1 1-1h4M16 3h4a1 1 0 0 1 1 1v4M21 16v4a1 1 0 0 1-1 1h-4M8 21H4a1 1 0 0 1-1-1v-4M7 12h10"
        fill="none"
        stroke="currentColor"
        stroke-width="2"
        stroke-linecap="round"
      />
    </svg>
  );
}

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
          <ViewfinderIcon />
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
