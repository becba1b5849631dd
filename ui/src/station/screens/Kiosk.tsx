// Tự khai báo y tế — the citizen's self-declaration kiosk.
//
// Stable hooks for end-to-end tests:
//   form#kiosk-form, fields wrapped in [data-field=<Declaration key>] (e.g. "phone",
//   "address.commune_code", "exposures.person_with_symptoms", "consent")
//   [data-testid=field-error]      the error text under a field (how to fix it)
//   [data-testid=kiosk-submit]     send; [data-testid=kiosk-errors] error summary
//   [data-testid=kiosk-result]     result with data-level; [data-testid=pass] the pass card
//                                  (data-pass-text = IssuedPass.text); [data-testid=pass-print], [data-testid=kiosk-done]
//   [data-testid=idle-countdown]   inactivity countdown (data-seconds)
//   [data-testid=kiosk-lock]       start kiosk mode; [data-testid=kiosk-unlock] leave (PIN dialog #kiosk-pin)
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Declared } from '../../shared/gen';
import { t } from '../../shared/i18n';
import { draftToDeclaration, emptyDeclarationForm, focusFirstError, formToDraft, isFormDirty } from '../../shared/declaration-form';
import { localIsoDate } from '../../shared/format';
import { createIdleTimer } from '../../shared/idle';
import { toCommandError } from '../../shared/backend';
import { TextField } from '../../shared/components/Field';
import { DeclarationFields, useDeclarationForm } from '../../shared/components/DeclarationFields';
import { PassCard } from '../../shared/components/PassCard';
import { Dialog } from '../../shared/components/Dialog';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { useStation } from '../station';
import { LanguageSwitch } from '../chrome';
import { kioskIdle } from '../config';

function PinDialog({ onClose }: { onClose: () => void }) {
  const station = useStation();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const ok = await station.unlockKiosk(pin);
      if (ok) onClose();
      else {
        setError(t('kiosk.pinWrong'));
        setPin('');
      }
    } catch (err) {
      station.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('kiosk.pinTitle')} onClose={onClose} testid="pin-dialog" id="pin">
      <form onSubmit={submit} noValidate>
        <TextField id="kiosk-pin" label={t('kiosk.pin')} type="password" inputMode="numeric" value={pin} onValue={setPin} error={error} autoFocus maxLength={12} />
        <div class="btn-row">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="btn" disabled={busy || pin === ''} data-testid="pin-submit">
            {t('kiosk.pinEnter')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function Result({ declared, onDone }: { declared: Declared; onDone: () => void }) {
  const level = declared.verdict.level;
  const text = level === 'green' ? t('kiosk.resultGreen') : level === 'amber' ? t('kiosk.resultAmber') : t('kiosk.resultRed');
  const icon = level === 'green' ? '✔' : level === 'amber' ? '!' : '✖';
  return (
    <div class="kiosk-result" data-testid="kiosk-result" data-level={level}>
      <section class="verdict verdict-compact" data-tone={level} role="status">
        <div class="verdict-icon" aria-hidden="true">
          {icon}
        </div>
        <p class="verdict-title">{t('kiosk.thanks')}</p>
        <p class="verdict-name">{text}</p>
      </section>
      {declared.pass ? (
        <>
          <PassCard pass={declared.pass} />
          <p class="pass-hint">{t('pass.hint')}</p>
        </>
      ) : (
        <p class="muted">{t('pass.none')}</p>
      )}
      <div class="btn-row no-print">
        {declared.pass && (
          <button type="button" class="btn btn-secondary btn-lg" data-testid="pass-print" onClick={() => window.print()}>
            {t('pass.print')}
          </button>
        )}
        <button type="button" class="btn btn-lg" data-testid="kiosk-done" onClick={onDone}>
          {t('common.done')}
        </button>
      </div>
    </div>
  );
}

export function Kiosk() {
  const station = useStation();
  const { form, setForm, errors, setErrors, byField, err, clearError, set } = useDeclarationForm(emptyDeclarationForm);
  const [declared, setDeclared] = useState<Declared | null>(null);
  const [busy, setBusy] = useState(false);
  const [submitError, setSubmitError] = useState<ReturnType<typeof toCommandError> | null>(null);
  const [countdown, setCountdown] = useState<number | null>(null);
  const [noPinNote, setNoPinNote] = useState(false);
  const [pinOpen, setPinOpen] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const locked = station.kioskLocked.value;

  const reset = () => {
    setForm(emptyDeclarationForm());
    setErrors([]);
    setDeclared(null);
    setSubmitError(null);
    setCountdown(null);
    window.scrollTo?.(0, 0);
  };

  // Inactivity: countdown, then clear (only when there is something to clear).
  const active = declared !== null || isFormDirty(form);
  const timer = useMemo(
    () =>
      createIdleTimer({
        warnAfterMs: kioskIdle.warnMs,
        resetAfterMs: kioskIdle.resetMs,
        onCountdown: setCountdown,
        onReset: reset,
      }),
    [],
  );
  useEffect(() => {
    if (active && !timer.running) timer.start();
    if (!active && timer.running) timer.stop();
  }, [active]);
  useEffect(() => {
    const poke = () => timer.activity();
    const opts = { capture: true, passive: true };
    for (const ev of ['pointerdown', 'keydown', 'input', 'wheel'] as const) document.addEventListener(ev, poke, opts);
    return () => {
      timer.stop();
      for (const ev of ['pointerdown', 'keydown', 'input', 'wheel'] as const) document.removeEventListener(ev, poke, opts);
    };
  }, [timer]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setSubmitError(null);
    const today = localIsoDate(new Date());
    const r = draftToDeclaration(formToDraft(form), today);
    setErrors(r.errors);
    if (!r.declaration) {
      setTimeout(() => focusFirstError(formRef.current, r.errors), 0);
      return;
    }
    setBusy(true);
    try {
      const d = await station.backend.kiosk_declare({ declaration: r.declaration });
      setDeclared(d);
      setErrors([]);
      window.scrollTo?.(0, 0);
    } catch (x) {
      const ce = toCommandError(x);
      if (ce.code === 'invalid_declaration' && ce.fields?.length) {
        setErrors(ce.fields);
        setTimeout(() => focusFirstError(formRef.current, ce.fields ?? []), 0);
      } else setSubmitError(ce);
    } finally {
      setBusy(false);
    }
  };

  const header = (
    <div class="kiosk-head no-print">
      <div>
        <h1>{t('kiosk.title')}</h1>
        <p class="muted">{t('kiosk.subtitle')}</p>
      </div>
      <div class="kiosk-head-actions">
        {locked && <LanguageSwitch />}
        {locked ? (
          <button type="button" class="btn btn-ghost" data-testid="kiosk-unlock" onClick={() => setPinOpen(true)}>
            {t('kiosk.unlock')}
          </button>
        ) : (
          <button
            type="button"
            class="btn btn-secondary"
            data-testid="kiosk-lock"
            title={t('kiosk.staffOnly')}
            onClick={() => setNoPinNote(!station.lockKiosk())}
          >
            {t('kiosk.lock')}
          </button>
        )}
      </div>
    </div>
  );

  const countdownDialog = countdown !== null && (
    <Dialog title={t('kiosk.idleTitle')} onClose={() => timer.activity()} testid="idle-dialog" id="idle">
      <p class="idle-text" data-testid="idle-countdown" data-seconds={countdown} role="timer" aria-live="assertive">
        {t('kiosk.idle', { s: countdown })}
      </p>
      <div class="idle-number" aria-hidden="true">
        {countdown}
      </div>
      <div class="btn-row">
        <button type="button" class="btn btn-secondary" onClick={reset}>
          {t('kiosk.clear')}
        </button>
        <button type="button" class="btn btn-lg" autoFocus onClick={() => timer.activity()}>
          {t('kiosk.idleContinue')}
        </button>
      </div>
    </Dialog>
  );

  if (declared) {
    return (
      <div class="kiosk">
        {header}
        <Result declared={declared} onDone={reset} />
        {countdownDialog}
        {pinOpen && <PinDialog onClose={() => setPinOpen(false)} />}
      </div>
    );
  }

  return (
    <div class="kiosk">
      {header}
      {noPinNote && !locked && (
        <div class="notice notice-warn" role="alert" data-testid="kiosk-no-pin">
          <p>{t('kiosk.noPin')}</p>
          <button type="button" class="btn btn-secondary" onClick={() => station.navigate('settings')}>
            {t('kiosk.goSettings')}
          </button>
        </div>
      )}
      <p class="notice notice-warn">{t('kiosk.warning')}</p>
      <form id="kiosk-form" ref={formRef} onSubmit={submit} noValidate>
        <DeclarationFields idPrefix="k" form={form} set={set} err={err} clearError={clearError} loadUnits={station.loadUnits} />

        {errors.length > 0 && (
          <p class="notice notice-error" role="alert" data-testid="kiosk-errors">
            {t('kiosk.fixErrors', { n: byField.size })}
          </p>
        )}
        {submitError && <ErrorNotice error={submitError} />}
        <div class="submit-bar">
          <button type="submit" class="btn btn-lg btn-block" disabled={busy} data-testid="kiosk-submit">
            {busy ? t('kiosk.submitting') : t('kiosk.submit')}
          </button>
        </div>
      </form>
      {countdownDialog}
      {pinOpen && <PinDialog onClose={() => setPinOpen(false)} />}
    </div>
  );
}
