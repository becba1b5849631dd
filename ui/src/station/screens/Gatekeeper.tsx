// Kiểm soát ra vào — the gatekeeper's screen.
//
// Stable hooks for end-to-end tests:
//   [data-testid=verdict]          the verdict banner; data-level="green|amber|red|none",
//                                  data-tone="green|amber|red|grey|idle", data-kind=<payload kind>
//   [data-testid=verdict-title]    its big word; [data-testid=verdict-name] the person
//   [data-testid=repeat-note]      "already scanned" note for repeat admissions
//   [data-testid=recent-scans]     the last 20 scans (<li data-level data-status>)
//   [data-testid=direction]        entry/exit toggle; buttons [data-direction=in|out][aria-pressed]
//   #gate-code + [data-testid=gate-code-submit]   typed code
//   [data-testid=manual-open]      opens manual entry (#manual-name, #manual-id, #manual-birth)
//   [data-testid=camera-panel]     camera state (data-state), <video> for the webview source
// USB keyboard-wedge scanners work anywhere on this screen outside text fields.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Admission, Direction } from '../../shared/gen';
import { lang, t } from '../../shared/i18n';
import { formatTime, formatWhen } from '../../shared/format';
import { describeAdmission, type GateAction } from '../../shared/verdict';
import { VerdictBanner } from '../../shared/components/VerdictBanner';
import { Dialog } from '../../shared/components/Dialog';
import { TextField } from '../../shared/components/Field';
import { personProblemsOf, typedPerson, type PersonProblems } from '../../shared/declaration';
import { personProblemText } from '../../shared/field-errors';
import { toCommandError } from '../../shared/backend';
import { startWebcam, type WebcamPump } from '../../shared/webcam';
import { useStation, useWedge, type Station } from '../station';

function DirectionToggle() {
  const station = useStation();
  const dir = station.direction.value;
  const btn = (d: Direction) => (
    <button
      type="button"
      class={`dir-btn dir-${d}`}
      data-direction={d}
      aria-pressed={dir === d}
      onClick={() => void station.setDirection(d)}
    >
      <span aria-hidden="true" class="dir-arrow">
        {d === 'in' ? '→' : '←'}
      </span>
      {t(d === 'in' ? 'dir.in' : 'dir.out')}
    </button>
  );
  return (
    <div class="direction" role="group" aria-label={t('dir.label')} data-testid="direction">
      {btn('in')}
      {btn('out')}
    </div>
  );
}

function levelWord(a: Admission): { cls: string; word: string; icon: string } {
  if (a.status === 'recorded') {
    const l = a.verdict.level;
    return { cls: `tag-${l}`, word: t(`level.${l}`), icon: l === 'green' ? '✔' : l === 'amber' ? '!' : '✖' };
  }
  if (a.status === 'pass_refused') return { cls: 'tag-red', word: t('level.red'), icon: '✖' };
  return { cls: 'tag-grey', word: '—', icon: '?' };
}

function RecentScans() {
  const station = useStation();
  const list = station.recent.value;
  const now = new Date();
  return (
    <section class="card recent" aria-labelledby="recent-title">
      <h2 id="recent-title">{t('gate.recent')}</h2>
      {list.length === 0 ? (
        <p class="muted">{t('gate.recentEmpty')}</p>
      ) : (
        <ol class="recent-list" data-testid="recent-scans">
          {list.map((a, i) => {
            const w = levelWord(a);
            const name = a.status === 'recorded' ? (a.person?.name ?? a.pass?.name ?? '—') : '—';
            const dir = a.status === 'recorded' ? a.direction : null;
            return (
              <li key={a.status === 'recorded' ? a.checkin_id : `${a.at}-${i}`} data-level={a.status === 'recorded' ? a.verdict.level : 'none'} data-status={a.status}>
                <span class="recent-time">{formatWhen(a.at, now)}</span>
                <span class={`tag ${w.cls}`}>
                  <span aria-hidden="true">{w.icon}</span> {w.word}
                </span>
                <span class="recent-name">{name}</span>
                <span class="recent-meta">
                  {dir && t(dir === 'in' ? 'dir.in' : 'dir.out')} · {t(`kind.${a.status === 'pass_refused' ? 'pass' : a.kind}`)}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

export function CameraPanel({ station }: { station: Station }) {
  const source = station.status.value?.settings.camera ?? '';
  const cam = station.camera.value;
  const last = station.lastScan.value;
  const videoRef = useRef<HTMLVideoElement>(null);
  const [webviewError, setWebviewError] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!source) return;
    let live = true;
    if (source === 'webview') {
      let pump: WebcamPump | null = null;
      setWebviewError(false);
      const video = videoRef.current;
      if (!video || !navigator.mediaDevices?.getUserMedia) {
        setWebviewError(true);
        return;
      }
      // The backend's webview scanner must run before frames arrive (camera_not_started).
      station.backend
        .camera_start({ source })
        .then(() => (live ? startWebcam(video, (f) => station.backend.camera_frame(f)) : null))
        .then(
          (p) => {
            if (p && live) pump = p;
            else p?.stop();
          },
          () => live && setWebviewError(true),
        );
      return () => {
        live = false;
        pump?.stop();
        station.backend.camera_stop().then(
          (c) => (station.camera.value = c),
          () => undefined,
        );
      };
    }
    station.backend.camera_start({ source }).then(
      (c) => {
        // A running state pushed meanwhile is newer than this answer.
        if (live && station.camera.value?.state !== 'running') station.camera.value = c;
      },
      (e) => live && station.fail(e),
    );
    return () => {
      live = false;
      station.backend.camera_stop().then(
        (c) => (station.camera.value = c),
        () => undefined,
      );
    };
  }, [source, attempt]);

  const state = source === 'webview' ? (webviewError ? 'error' : 'running') : (cam?.state ?? 'stopped');
  const stateWord = t(`camera.${state}`);
  return (
    <section class="card camera-panel" data-testid="camera-panel" data-state={source ? state : 'none'} aria-labelledby="camera-title">
      <h2 id="camera-title">{t('gate.camera')}</h2>
      {!source ? (
        <p class="muted">{t('gate.cameraNone')}</p>
      ) : (
        <>
          {source === 'webview' ? (
            <video ref={videoRef} class="camera-video" muted playsInline autoPlay aria-label={t('gate.camera')} />
          ) : null}
          <p class="camera-state">
            <span class={`cam-dot cam-${state}`} aria-hidden="true" /> <strong>{stateWord}</strong>
            {source !== 'webview' && cam && cam.state === 'running' && cam.fps > 0 && (
              <> · {t('gate.cameraFps', { fps: cam.fps })}</>
            )}
            <span class="muted small camera-source"> · {source}</span>
          </p>
          {source === 'webview' && webviewError && <p class="notice notice-error">{t('gate.cameraDenied')}</p>}
          {source !== 'webview' && cam?.state === 'error' && cam.message && (
            <p class="notice notice-error">
              {t('errc.camera_unavailable')} <span class="small">({cam.message})</span>
            </p>
          )}
          {last && (
            <p class="muted small" data-testid="last-frame">
              {t('gate.cameraLast', { time: formatTime(last.at_ms, true), ms: last.latency_ms })}
            </p>
          )}
          {(state === 'error' || state === 'stopped') && (
            <button type="button" class="btn btn-secondary" onClick={() => setAttempt((a) => a + 1)}>
              {t('gate.cameraStart')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function ManualEntry({ onClose }: { onClose: () => void }) {
  const station = useStation();
  const [name, setName] = useState('');
  const [idOrPhone, setIdOrPhone] = useState('');
  const [birth, setBirth] = useState('');
  const [errors, setErrors] = useState<PersonProblems>({});
  const [busy, setBusy] = useState(false);
  const year = new Date().getFullYear();
  const msg = (p: PersonProblems[keyof PersonProblems]) => personProblemText(p, year);

  const submit = async (e: Event) => {
    e.preventDefault();
    const r = typedPerson(name, idOrPhone, birth, year);
    setErrors(r.problems);
    if (!r.person) return;
    setBusy(true);
    try {
      const a = await station.backend.gate_manual({ person: r.person, direction: station.direction.value });
      station.showAdmission(a);
      onClose();
    } catch (x) {
      const ce = toCommandError(x);
      if (ce.code === 'invalid_person' && ce.fields?.length) setErrors(personProblemsOf(ce.fields));
      else station.fail(ce);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('gate.manualTitle')} onClose={onClose} testid="manual-dialog" id="manual">
      <form onSubmit={submit} noValidate>
        <TextField id="manual-name" label={t('person.name')} required value={name} onValue={(v) => { setName(v); setErrors((e) => ({ ...e, name: undefined })); }} error={msg(errors.name)} autoFocus autoCapitalize="words" />
        <TextField
          id="manual-id"
          label={t('person.idOrPhone')}
          value={idOrPhone}
          onValue={(v) => {
            setIdOrPhone(v);
            setErrors((e) => ({ ...e, idOrPhone: undefined }));
          }}
          error={msg(errors.idOrPhone)}
          inputMode="text"
        />
        <TextField id="manual-birth" label={t('person.birthYear')} optional value={birth} onValue={(v) => { setBirth(v); setErrors((e) => ({ ...e, birthYear: undefined, idOrPhone: e.idOrPhone === 'idOrPhoneMissing' ? undefined : e.idOrPhone })); }} error={msg(errors.birthYear)} inputMode="numeric" maxLength={4} />
        <div class="btn-row">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="btn btn-lg" disabled={busy} data-testid="manual-submit">
            {t('gate.manualSubmit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function Gatekeeper() {
  const station = useStation();
  const [code, setCode] = useState('');
  const [manual, setManual] = useState(false);
  const [codeError, setCodeError] = useState<string | null>(null);
  const shown = station.shown.value;
  const repeat = station.repeat.value;
  const view = shown ? describeAdmission(shown.admission) : null;
  const s = station.status.value;
  void lang.value;

  useWedge(manual ? null : (c) => void station.admitCode(c));

  // The camera records with the toggle's direction: tell the backend what it shows.
  useEffect(() => {
    void station.backend.gate_set_direction({ direction: station.direction.value }).catch(() => undefined);
  }, []);

  const onAction = (a: GateAction) => {
    if (a === 'manual') setManual(true);
    else if (a === 'kiosk') station.navigate('kiosk');
    else {
      const adm = shown?.admission;
      station.paperPrefill.value = adm?.status === 'recorded' ? (adm.person?.name ?? adm.pass?.name ?? null) : null;
      station.navigate('paper');
    }
  };

  const submitCode = async (e: Event) => {
    e.preventDefault();
    if (code.trim() === '') {
      setCodeError(t('gate.codeEmpty'));
      return;
    }
    setCodeError(null);
    const a = await station.admitCode(code);
    if (a) setCode('');
  };

  const adm = shown?.admission;
  const meta =
    adm && view
      ? `${formatTime(adm.at, true)}${adm.status === 'recorded' ? ` · ${t(adm.direction === 'in' ? 'dir.in' : 'dir.out')}` : ''}`
      : undefined;

  return (
    <div class="gate">
      <div class="gate-top">
        <DirectionToggle />
        <div class="gate-venue">
          {station.venueName.value ? (
            <span>{t('gate.venue', { name: station.venueName.value })}</span>
          ) : (
            s?.enrollment && <span class="notice notice-warn inline">{t('gate.noVenue')}</span>
          )}
          <span class="muted small">{t('gate.wedgeHint')}</span>
        </div>
      </div>
      <VerdictBanner view={view} meta={meta} onAction={onAction} seq={shown?.seq} />
      {repeat && (
        <p class="repeat-note" data-testid="repeat-note" key={repeat.seq} role="status">
          ↻ {t('gate.repeat', { time: formatTime(repeat.at, true) })}
        </p>
      )}
      <div class="gate-grid">
        <div class="gate-side">
          <CameraPanel station={station} />
          <section class="card">
            <form class="code-form" onSubmit={submitCode} noValidate>
              <TextField
                id="gate-code"
                label={t('gate.typeCode')}
                value={code}
                onValue={setCode}
                error={codeError}
                class="grow"
              />
              <button type="submit" class="btn btn-lg" data-testid="gate-code-submit">
                {t('gate.typeCodeSubmit')}
              </button>
            </form>
            <button type="button" class="btn btn-secondary btn-lg btn-block" data-testid="manual-open" onClick={() => setManual(true)}>
              {t('gate.manual')}
            </button>
          </section>
        </div>
        <RecentScans />
      </div>
      {manual && <ManualEntry onClose={() => setManual(false)} />}
    </div>
  );
}
