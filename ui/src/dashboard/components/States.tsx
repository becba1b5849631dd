// The states every report page goes through besides showing figures:
// loading, nothing to show, and failure with what to do.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { formatNumber } from '../../shared/format';
import type { ApiError } from '../api';
import { errorAdvice, type ErrorContext } from '../errors';
import { lang, t } from '../i18n';

export function Loading({ text }: { text?: string }) {
  return (
    <div class="state state-loading" role="status" aria-live="polite" data-testid="loading">
      <span class="spinner" aria-hidden="true" />
      <span>{text ?? t('common.loadingReport')}</span>
    </div>
  );
}

export function Empty({ children, testid = 'empty' }: { children: ComponentChildren; testid?: string }) {
  return (
    <div class="state state-empty" role="status" data-testid={testid}>
      <svg class="state-icon" width="44" height="44" viewBox="0 0 44 44" aria-hidden="true" focusable="false">
        <circle cx="22" cy="22" r="21" />
        <path d="M14 22h16" />
      </svg>
      <div>{children}</div>
    </div>
  );
}

export function ErrorBox({ error, onRetry, title, context }: { error: ApiError; onRetry?: () => void; title?: string; context?: ErrorContext }) {
  return (
    <div class="notice notice-error state-error" role="alert" data-testid="error" data-code={error.code}>
      <strong>{title ?? t('err.title')}</strong>
      <p data-testid="error-advice">{errorAdvice(error, lang.value, context)}</p>
      {(error.detail || error.code) && (
        <p class="small">
          {t('err.detail')}: <code data-testid="error-code">{error.code}</code>
          {error.detail ? <> — <span data-testid="error-detail">{error.detail}</span></> : null}
        </p>
      )}
      {onRetry && retryHelps(error) && (
        <button type="button" class="btn btn-secondary" onClick={onRetry} data-testid="retry">
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** Trying the same again helps after a network, server or busy error, not after a refusal. */
export function retryHelps(e: ApiError): boolean {
  return e.status <= 0 || e.status >= 500 || e.status === 429 || e.status === 408;
}

/** Rows drawn at first in a long table; the rest on request (a province may have thousands of venues). */
export const FIRST_ROWS = 100;

/** How many of `total` rows to draw, and a way to draw them all. */
export function useShown(total: number, first = FIRST_ROWS): [number, () => void] {
  const [all, setAll] = useState(false);
  return [all ? total : Math.min(total, first), () => setAll(true)];
}

/** "Showing 100 of 2,345 rows. [Show all 2,345 rows]" under a cut table. */
export function MoreRows({ shown, total, onAll }: { shown: number; total: number; onAll: () => void }) {
  if (shown >= total) return null;
  const l = lang.value;
  return (
    <div class="more-rows" data-testid="more-rows">
      <span>{t('common.shownOf', { n: formatNumber(shown, l), of: formatNumber(total, l) })}</span>
      <button type="button" class="btn btn-secondary" onClick={onAll}>
        {t('common.showAll', { of: formatNumber(total, l) })}
      </button>
    </div>
  );
}
