// Cài đặt — settings and enrollment: enroll by scanning (USB scanner anywhere
// on this screen, or the camera) or pasting the enrollment code; the current
// enrollment; language; camera; hold time; the venue; the kiosk PIN.
//
// Stable hooks for end-to-end tests:
//   [data-testid=enrollment] current enrollment (data-enrolled=true|false)
//   [data-testid=enroll-refused][data-code] (the server refuses this device: enroll again)
//   #enroll-code, #enroll-url (shown when the code has no address), #enroll-label, #enroll-force,
//   [data-testid=enroll-submit], [data-testid=enroll-camera]
//   [data-field=set-language] radios (input[value=vi|en]); #set-camera (select), [data-testid=camera-refresh];
//   #set-hold + [data-testid=hold-save]; #set-venue (select)
//   #pin-old, #pin-new, #pin-confirm, [data-testid=pin-save], [data-testid=pin-state][data-set]
import { useEffect, useState } from 'preact/hooks';
import type { CameraInfo, CommandError, Language, Unit } from '../../shared/gen';
import { LANGUAGES, lang, t } from '../../shared/i18n';
import { parseEnrollCode, isServerUrl } from '../../shared/enroll';
import { toCommandError } from '../../shared/backend';
import { ChoiceGroup, CheckTile, Field, TextField } from '../../shared/components/Field';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { deviceRefusal, errorAdvice } from '../../shared/errors';
import { toast } from '../../shared/components/toast';
import { cachedUnits } from '../../shared/components/UnitPicker';
import { useStation, useWedge } from '../station';
import { CameraPanel } from './Gatekeeper';

function Enrollment() {
  const station = useStation();
  const s = station.status.value;
  const e = s?.enrollment ?? null;
  // The server refuses this device: enrolling again is the only way on, and
  // the station allows it with records pending (they are sent after).
  const refusal = deviceRefusal(station.sync.value);
  const [open, setOpen] = useState(!e || refusal !== null);
  const [code, setCode] = useState('');
  const [url, setUrl] = useState('');
  const [label, setLabel] = useState('');
  const [force, setForce] = useState(false);
  const [codeError, setCodeError] = useState<string | null>(null);
  const [urlError, setUrlError] = useState<string | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);
  const [camera, setCamera] = useState(false);
  const [provinces, setProvinces] = useState<Unit[]>([]);
  const parsed = parseEnrollCode(code);
  const needsUrl = code.trim() !== '' && (parsed === null || parsed.url === null);
  const scanned = station.enrollScan.value;

  useEffect(() => {
    cachedUnits(station.loadUnits, null).then(setProvinces, () => undefined);
  }, []);

  const takeCode = (c: string) => {
    setCode(c);
    setOpen(true);
    setCodeError(null);
    setError(null);
    toast(t('set.scanned'), 'ok');
  };
  useEffect(() => {
    if (scanned) {
      takeCode(scanned);
      station.enrollScan.value = null;
    }
  }, [scanned]);
  useWedge((c) => {
    if (/^CKE1:/i.test(c.trim())) takeCode(c.trim());
  });

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    const p = parseEnrollCode(code);
    setCodeError(p ? null : t('set.badCode'));
    const serverUrl = p?.url ?? url.trim();
    const urlOk = p?.url !== null && p?.url !== undefined ? true : isServerUrl(serverUrl);
    setUrlError(urlOk ? null : t('set.badUrl'));
    if (!p || !urlOk) return;
    setBusy(true);
    try {
      await station.backend.enroll({
        input: { code: p.code, server_url: p.url ? null : serverUrl, label: label.trim() || null, force },
      });
      toast(t('set.enrolled'), 'ok');
      setCode('');
      setUrl('');
      setForce(false);
      setOpen(false);
      setCamera(false);
      await station.refreshStatus();
    } catch (x) {
      const ce = toCommandError(x);
      if (ce.code === 'server_url_missing' || ce.code === 'bad_server_url') setUrlError(t('set.badUrl'));
      else if (ce.code === 'invalid_enrollment_code') setCodeError(t('set.badCode'));
      else setError(ce);
    } finally {
      setBusy(false);
    }
  };

  const provinceName = e ? (provinces.find((p) => p.code === e.province_code)?.name ?? e.province_code) : '';
  return (
    <section class="card" data-testid="enrollment" data-enrolled={String(!!e)} aria-labelledby="enroll-title">
      <h2 id="enroll-title">{t('set.enroll')}</h2>
      {e ? (
        <div class="notice notice-ok">
          <strong>{t('set.enrolledAs')}</strong>
          <dl class="kv">
            <dt>{t('set.server')}</dt>
            <dd>
              <code data-testid="enrolled-server">{e.server_url}</code>
            </dd>
            <dt>{t('set.scope')}</dt>
            <dd>{e.scope.type === 'venue' ? t('set.scopeVenue', { id: e.scope.venue_id }) : t('set.scopeCommune', { code: e.scope.commune_code })}</dd>
            <dt>{t('set.province')}</dt>
            <dd>{provinceName}</dd>
            {e.label && (
              <>
                <dt>{t('set.label')}</dt>
                <dd>{e.label}</dd>
              </>
            )}
          </dl>
        </div>
      ) : (
        <p class="notice notice-warn">{t('set.notEnrolled')}</p>
      )}
      {e && refusal && (
        <p class="notice notice-error" data-testid="enroll-refused" data-code={refusal}>
          {errorAdvice(refusal)}
        </p>
      )}
      {e && !open && (
        <button type="button" class="btn btn-secondary" data-testid="reenroll" onClick={() => setOpen(true)}>
          {t('set.reenroll')}
        </button>
      )}
      {open && (
        <form onSubmit={submit} noValidate class="enroll-form">
          <Field id="enroll-code" label={t('set.code')} required hint={t('set.codeHint')} error={codeError}>
            <textarea id="enroll-code" rows={2} spellcheck={false} value={code} aria-describedby="enroll-code-hint" onInput={(x) => { setCode(x.currentTarget.value); setCodeError(null); }} />
          </Field>
          {needsUrl && <TextField id="enroll-url" type="url" label={t('set.serverUrl')} required value={url} onValue={(v) => { setUrl(v); setUrlError(null); }} hint={t('set.serverUrlHint')} error={urlError} placeholder="https://" />}
          <TextField id="enroll-label" label={t('set.labelInput')} optional value={label} onValue={setLabel} />
          {/* Not needed after a revocation, unless the code is for another server. */}
          {e && s && s.queue.pending > 0 && (!refusal || error?.code === 'pending_records') && (
            <CheckTile id="enroll-force" checked={force} onValue={setForce}>
              {t('set.force')}
            </CheckTile>
          )}
          {error && <ErrorNotice error={error} />}
          <div class="btn-row">
            <button type="submit" class="btn btn-lg" disabled={busy} data-testid="enroll-submit">
              {t('set.enrollSubmit')}
            </button>
            {s?.settings.camera && (
              <button type="button" class="btn btn-secondary" data-testid="enroll-camera" aria-pressed={camera} onClick={() => setCamera(!camera)}>
                {camera ? t('gate.cameraStop') : t('gate.cameraStart')}
              </button>
            )}
          </div>
          {camera && <CameraPanel station={station} />}
        </form>
      )}
    </section>
  );
}

function CameraSetting() {
  const station = useStation();
  const current = station.status.value?.settings.camera ?? '';
  const [cams, setCams] = useState<CameraInfo[] | null>(null);
  const load = async (announce: boolean) => {
    const list = await station.run(station.backend.camera_list());
    if (list) {
      setCams(list);
      if (announce) toast(t('set.cameraFound', { n: list.length }), 'info');
    }
  };
  useEffect(() => {
    void load(false);
  }, []);
  const options = [
    { value: '', label: t('set.cameraNone') },
    ...(cams ?? []).map((c) => ({ value: c.source, label: `${c.name} (${c.source})` })),
    { value: 'webview', label: t('set.cameraWebview') },
  ];
  if (!options.some((o) => o.value === current)) options.push({ value: current, label: current });
  return (
    <div class="camera-setting">
      <Field id="set-camera" label={t('set.camera')}>
        <select
          id="set-camera"
          value={current}
          onChange={async (e) => {
            const camera = e.currentTarget.value;
            const r = await station.run(station.backend.settings_update({ patch: { camera } }));
            if (r) toast(t('set.saved'), 'ok');
          }}
        >
          {options.map((o) => (
            <option value={o.value} key={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </Field>
      <button type="button" class="btn btn-secondary camera-refresh" data-testid="camera-refresh" onClick={() => void load(true)}>
        {t('set.cameraRefresh')}
      </button>
    </div>
  );
}

function HoldSetting() {
  const station = useStation();
  const current = station.status.value?.settings.hold_seconds ?? 10;
  const [value, setValue] = useState(String(current));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setValue(String(current)), [current]);
  const save = async (e: Event) => {
    e.preventDefault();
    const n = Number(value.trim());
    if (!/^\d+$/.test(value.trim()) || n < 0 || n > 60) {
      setError(t('set.holdError'));
      return;
    }
    setError(null);
    const r = await station.run(station.backend.settings_update({ patch: { hold_seconds: n } }));
    if (r) toast(t('set.saved'), 'ok');
  };
  return (
    <form class="inline-form" onSubmit={save} noValidate>
      <TextField id="set-hold" label={t('set.hold')} value={value} onValue={(v) => { setValue(v); setError(null); }} error={error} hint={t('set.holdHint')} inputMode="numeric" maxLength={2} class="grow" />
      <button type="submit" class="btn" data-testid="hold-save">
        {t('common.save')}
      </button>
    </form>
  );
}

function VenueSetting() {
  const station = useStation();
  const s = station.status.value;
  const venues = s?.venues ?? [];
  if (venues.length === 0) return <p class="muted">{t('set.venueEmpty')}</p>;
  return (
    <Field id="set-venue" label={t('set.venue')}>
      <select
        id="set-venue"
        value={s?.settings.venue_id ?? ''}
        onChange={async (e) => {
          const v = e.currentTarget.value;
          const r = await station.run(station.backend.settings_update({ patch: { venue_id: v || null } }));
          if (r) toast(t('set.saved'), 'ok');
        }}
      >
        <option value="">{t('set.venueNone')}</option>
        {venues.map((v) => (
          <option value={v.id} key={v.id}>
            {v.name} — {v.id}
          </option>
        ))}
      </select>
    </Field>
  );
}

function PinSetting() {
  const station = useStation();
  const isSet = station.status.value?.settings.kiosk_pin_set ?? false;
  const [oldPin, setOldPin] = useState('');
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ old?: string; pin?: string; confirm?: string }>({});
  const save = async (e: Event) => {
    e.preventDefault();
    const errs: typeof errors = {};
    if (isSet && oldPin === '') errs.old = t('set.pinOldMissing');
    if (!/^\d{4,12}$/.test(pin)) errs.pin = t('set.pinFormat');
    else if (pin !== confirm) errs.confirm = t('set.pinMismatch');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    try {
      await station.backend.set_kiosk_pin({ old_pin: isSet ? oldPin : null, new_pin: pin });
      toast(t('set.pinSaved'), 'ok');
      setOldPin('');
      setPin('');
      setConfirm('');
      await station.refreshStatus();
    } catch (x) {
      const ce = toCommandError(x);
      if (ce.code === 'wrong_pin') setErrors({ old: t('errc.wrong_pin') });
      else if (ce.code === 'invalid_pin') setErrors({ pin: t('set.pinFormat') });
      else station.fail(ce);
    }
  };
  return (
    <form onSubmit={save} noValidate>
      <p class={`notice ${isSet ? 'notice-ok' : 'notice-warn'}`} data-testid="pin-state" data-set={String(isSet)}>
        {isSet ? t('set.pinSet') : t('set.pinNotSet')}
      </p>
      <div class="field-row">
        {isSet && <TextField id="pin-old" type="password" inputMode="numeric" label={t('set.pinOld')} required value={oldPin} onValue={setOldPin} error={errors.old} maxLength={12} />}
        <TextField id="pin-new" type="password" inputMode="numeric" label={t('set.pinNew')} required value={pin} onValue={setPin} error={errors.pin} maxLength={12} />
        <TextField id="pin-confirm" type="password" inputMode="numeric" label={t('set.pinConfirm')} required value={confirm} onValue={setConfirm} error={errors.confirm} maxLength={12} />
      </div>
      <button type="submit" class="btn" data-testid="pin-save">
        {t('set.pinSubmit')}
      </button>
    </form>
  );
}

export function SettingsScreen() {
  const station = useStation();
  const s = station.status.value;
  return (
    <div class="settings">
      <div class="screen-head">
        <h1>{t('set.title')}</h1>
      </div>
      <div class="settings-grid">
        <Enrollment />
        <section class="card" aria-labelledby="set-station-title">
          <h2 id="set-station-title">{t('set.device')}</h2>
          <ChoiceGroup<Language>
            id="set-language"
            name="set-language"
            label={t('set.language')}
            value={lang.value}
            onValue={(l) => void station.setLanguage(l)}
            options={LANGUAGES.map((l) => ({ value: l, label: <span lang={l}>{t(`lang.${l}`)}</span> }))}
          />
          <VenueSetting />
          <CameraSetting />
          <HoldSetting />
          {s && (
            <p class="muted small">
              {t('sync.device')}: <code>{s.device_id}</code>
            </p>
          )}
        </section>
        <section class="card" aria-labelledby="set-pin-title">
          <h2 id="set-pin-title">{t('set.pin')}</h2>
          <PinSetting />
        </section>
      </div>
    </div>
  );
}
