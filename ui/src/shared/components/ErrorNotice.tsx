// A command error in a box: what happened and what to do (by code), then the
// code and the backend's message as detail for technical staff.
import type { CommandError } from '../gen';
import { t } from '../i18n';
import { errorAdvice } from '../errors';

export function ErrorNotice({ error, id, title }: { error: CommandError; id?: string; title?: string }) {
  return (
    <div class="notice notice-error" role="alert" id={id} data-testid="error" data-code={error.code}>
      <strong>{title ?? t('errc.title')}</strong>
      <p>{errorAdvice(error.code)}</p>
      <p class="small">
        {t('errc.codeLabel')}: <code data-testid="error-code">{error.code}</code>
        {error.message ? <> — {error.message}</> : null}
      </p>
    </div>
  );
}
