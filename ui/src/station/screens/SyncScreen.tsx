// Đồng bộ — status and sync: connection, the upload queue (hàng đợi), sync now
// with progress, and the records the server rejected with what to do.
//
// Stable hooks (the app's end-to-end test reads the first ones):
//   #status-panel[data-state=loading|ok|attention|error], #pending, #synced, #rejected,
//   #in-flight, #conflict, #device-id, #data-dir, #status-error (hidden unless the
//   status cannot be read; [data-testid=error-code] inside holds the code)
//   [data-testid=sync-now], [data-testid=sync-progress] (role=progressbar, aria-valuenow/max),
//   [data-testid=sync-refused][data-code=device_revoked|credential_refused] (the server refuses
//      this device: what to do, and [data-testid=sync-reenroll] to the enrollment form)
//   [data-testid=sync-phase][data-phase], [data-testid=last-success]
//   [data-testid=rejected-list] > li[data-testid=rejected-item][data-seq]
//      buttons [data-testid=requeue], [data-testid=fix-venue] -> select #fix-venue-<seq>, [data-testid=fix-venue-apply]
//   [data-testid=trust-list][data-state=held|old|none]: the COVID-certificate trust list and its age
import { useEffect, useState } from 'preact/hooks';
import type { RejectedRecord, TrustListStatus } from '../../shared/gen';
import { hasMessage, lang, t } from '../../shared/i18n';
import { formatDateTime, formatNumber } from '../../shared/format';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { deviceRefusal, errorAdvice } from '../../shared/errors';
import { toast } from '../../shared/components/toast';
import { toCommandError } from '../../shared/backend';
import { useStation } from '../station';

/** The server's reason ("code: detail") in words, with what to do. */
export function rejectReasonText(r: Pick<RejectedRecord, 'reason' | 'state'>): string {
  const code = r.reason.split(':')[0].trim();
  const key = `rej.reason.${code}`;
  if (code && code !== 'other' && hasMessage(key)) return t(key as 'rej.reason.conflict');
  if (r.state === 'conflict') return t('rej.reason.conflict');
  return t('rej.reason.other', { reason: r.reason });
}

/** Days after which the trust list is called old (signers are added and revoked every week). */
const TRUST_LIST_OLD_DAYS = 30;

/** The station's copy of the COVID-certificate trust list, and how old it is. */
function TrustListLine({ trust }: { trust: TrustListStatus | null }) {
  if (!trust) {
    return (
      <p class="small trust-line" data-testid="trust-list" data-state="none">
        <b>{t('sync.trust.title')}:</b> {t('sync.trust.none')}
      </p>
    );
  }
  const days = Math.max(0, Math.floor((Date.now() - Date.parse(trust.imported_at)) / 86_400_000));
  const old = days > TRUST_LIST_OLD_DAYS;
  return (
    <div data-testid="trust-list" data-state={old ? 'old' : 'held'}>
      <p class="small trust-line">
        <b>{t('sync.trust.title')}:</b>{' '}
        {t('sync.trust.held', {
          n: formatNumber(trust.certificates, lang.value),
          date: formatDateTime(trust.imported_at),
          age: days === 0 ? t('sync.trust.today') : t('sync.trust.days', { n: days }),
        })}
      </p>
      {old && <p class="notice notice-warn">{t('sync.trust.old')}</p>}
    </div>
  );
}

function RejectedItem({ r, onDone }: { r: RejectedRecord; onDone: () => void }) {
  const station = useStation();
  const venues = station.status.value?.venues ?? [];
  const [fixing, setFixing] = useState(false);
  const [venue, setVenue] = useState(station.status.value?.settings.venue_id ?? venues[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const act = async (p: Promise<void>, ok: string) => {
    setBusy(true);
    try {
      await p;
      toast(ok, 'ok');
    } catch (e) {
      station.fail(e);
      if (toCommandError(e).code === 'not_found') onDone();
    } finally {
      setBusy(false);
      onDone();
    }
  };
  return (
    <li class="rejected-item" data-testid="rejected-item" data-seq={r.seq} data-state={r.state}>
      <div class="rej-head">
        <span class={`tag ${r.state === 'conflict' ? 'tag-red' : 'tag-amber'}`}>{t(r.state === 'conflict' ? 'rej.state.conflict' : 'rej.state.rejected')}</span>
        <strong>{t(`recordKind.${r.kind}`)}</strong>
        <span class="muted small">{formatDateTime(r.at)}</span>
      </div>
      <p class="rej-summary">{r.summary}</p>
      <p class="rej-reason">{rejectReasonText(r)}</p>
      {r.venue_id && <p class="muted small">{t('rej.venue', { id: r.venue_id })}</p>}
      <div class="btn-row">
        <button type="button" class="btn btn-secondary" data-testid="requeue" disabled={busy} onClick={() => void act(station.backend.rejected_requeue({ seq: r.seq }), t('rej.requeued'))}>
          {t('rej.requeue')}
        </button>
        {venues.length > 0 && r.venue_id !== null && (
          <button type="button" class="btn btn-secondary" data-testid="fix-venue" aria-expanded={fixing} disabled={busy} onClick={() => setFixing(!fixing)}>
            {t('rej.fixVenue')}
          </button>
        )}
      </div>
      {fixing && (
        <div class="fix-venue">
          <div class="field">
            <label for={`fix-venue-${r.seq}`}>{t('rej.pickVenue')}</label>
            <select id={`fix-venue-${r.seq}`} value={venue} onChange={(e) => setVenue(e.currentTarget.value)}>
              {venues.map((v) => (
                <option value={v.id} key={v.id}>
                  {v.name} ({v.id})
                </option>
              ))}
            </select>
          </div>
          <button
            type="button"
            class="btn"
            data-testid="fix-venue-apply"
            disabled={busy || !venue}
            onClick={() => void act(station.backend.rejected_fix_venue({ seq: r.seq, venue_id: venue }), t('rej.fixed'))}
          >
            {t('rej.apply')}
          </button>
        </div>
      )}
    </li>
  );
}

export function SyncScreen() {
  const station = useStation();
  const s = station.status.value;
  const sync = station.sync.value;
  const startError = station.startError.value;
  const refusal = deviceRefusal(sync);
  const [rejected, setRejected] = useState<RejectedRecord[] | null>(null);
  const [starting, setStarting] = useState(false);
  const n = (v: number | undefined) => (v === undefined ? '—' : formatNumber(v, lang.value));
  const rejectedCount = s?.queue.rejected;

  const loadRejected = async () => {
    const r = await station.run(station.backend.rejected_list());
    if (r) setRejected(r);
  };
  useEffect(() => {
    if (s) void loadRejected();
  }, [rejectedCount, s === null]);

  const state = startError ? 'error' : !s ? 'loading' : s.queue.rejected > 0 ? 'attention' : 'ok';
  const phase = sync?.phase ?? 'idle';
  const total = sync?.total ?? 0;
  const sent = sync?.sent ?? 0;
  const pct = total > 0 ? Math.round((100 * sent) / total) : 0;

  const syncNow = async () => {
    setStarting(true);
    try {
      await station.backend.sync_now();
    } catch (e) {
      station.fail(e);
    } finally {
      setStarting(false);
    }
  };

  return (
    <div class="sync-screen">
      <div class="screen-head">
        <h1>{t('sync.title')}</h1>
      </div>
      <section class="card status-panel" id="status-panel" data-state={state} aria-live="polite">
        {refusal && (
          <div class="notice notice-error sync-refused" data-testid="sync-refused" data-code={refusal} role="alert">
            <strong>{t(refusal === 'device_revoked' ? 'sync.revoked' : 'sync.refused')}</strong>
            <p>{errorAdvice(refusal)}</p>
            <button type="button" class="btn" data-testid="sync-reenroll" onClick={() => station.navigate('settings')}>
              {t('sync.reenroll')}
            </button>
          </div>
        )}
        <div class="sync-top" hidden={!s}>
          <div class="conn" data-testid="sync-phase" data-phase={phase} data-online={String(!!sync?.online)}>
            <span class={`conn-dot ${sync?.online ? 'on' : 'off'}`} aria-hidden="true" />
            <div>
              <strong>{sync?.online ? t('sync.online') : t('sync.offline')}</strong>
              <p>{t(`sync.phase.${phase}`)}</p>
              {sync?.message && phase !== 'syncing' && !refusal && <p class="muted small">{sync.message}</p>}
              {sync?.error_code && phase !== 'syncing' && (
                <p class="small">
                  {t('errc.codeLabel')}: <code>{sync.error_code}</code>
                </p>
              )}
              {sync?.next_try_at && phase !== 'syncing' && <p class="small">{t('sync.nextTry', { time: formatDateTime(sync.next_try_at) })}</p>}
            </div>
          </div>
          <div class="sync-now">
            <button
              type="button"
              class="btn btn-lg"
              data-testid="sync-now"
              disabled={starting || phase === 'syncing' || !s?.enrollment}
              onClick={() => void syncNow()}
            >
              {t('sync.now')}
            </button>
            {!s?.enrollment && s && (
              <button type="button" class="btn btn-secondary" onClick={() => station.navigate('settings')}>
                {t('nav.settings')}
              </button>
            )}
          </div>
        </div>
        <div class="sync-progress" hidden={phase !== 'syncing' && total === 0}>
          <div
            class="progress"
            role="progressbar"
            data-testid="sync-progress"
            aria-valuemin={0}
            aria-valuemax={total}
            aria-valuenow={sent}
            aria-label={t('sync.progress', { sent: n(sent), total: n(total) })}
            data-phase={phase}
          >
            <span style={{ width: `${pct}%` }} />
          </div>
          <p class="small" data-testid="sync-progress-text">
            {t('sync.progress', { sent: n(sent), total: n(total) })}
          </p>
        </div>
        {phase !== 'syncing' && s && s.queue.pending === 0 && <p class="notice notice-ok">{t('sync.allSent')}</p>}
        <dl class="sync-times" hidden={!s}>
          <dt>{t('sync.lastSuccess')}</dt>
          <dd data-testid="last-success">{sync?.last_success_at ? formatDateTime(sync.last_success_at) : t('sync.never')}</dd>
          <dt>{t('sync.lastAttempt')}</dt>
          <dd>{sync?.last_attempt_at ? formatDateTime(sync.last_attempt_at) : t('sync.never')}</dd>
        </dl>

        <h2>{t('sync.queue')}</h2>
        <div class="counts">
          <div class="count count-pending">
            <span class="value" id="pending">
              {n(s?.queue.pending)}
            </span>
            <span class="label">{t('sync.pending')}</span>
            {s && s.queue.in_flight > 0 && (
              <span class="detail">
                {t('sync.inFlight')}: <b id="in-flight">{n(s.queue.in_flight)}</b>
              </span>
            )}
          </div>
          <div class="count count-synced">
            <span class="value" id="synced">
              {n(s?.queue.synced)}
            </span>
            <span class="label">{t('sync.synced')}</span>
          </div>
          <div class="count count-rejected">
            <span class="value" id="rejected">
              {n(s?.queue.rejected)}
            </span>
            <span class="label">{t('sync.rejected')}</span>
            {s && s.queue.conflict > 0 && (
              <span class="detail">
                {t('sync.conflict')}: <b id="conflict">{n(s.queue.conflict)}</b>
              </span>
            )}
          </div>
        </div>
        <div id="status-error" hidden={!startError}>
          {startError && (
            <>
              <ErrorNotice error={startError} />
              <button type="button" class="btn btn-secondary" onClick={() => void station.refreshStatus()}>
                {t('common.retry')}
              </button>
            </>
          )}
        </div>
        <p class="muted small device-line">
          {t('sync.device')}: <code id="device-id">{s?.device_id ?? '—'}</code>
          {' · '}
          {t('sync.dataDir')}: <code id="data-dir">{s?.data_dir ?? '—'}</code>
          {s && (
            <>
              {' · '}
              {s.policy_from === 'server' ? t('sync.policy.server') : t('sync.policy.default')}
            </>
          )}
        </p>
        {s && <TrustListLine trust={s.trust_list} />}
      </section>

      <section class="card" aria-labelledby="rej-title">
        <h2 id="rej-title">{t('rej.title')}</h2>
        {rejected === null ? (
          <p class="muted">{s ? t('common.loading') : '—'}</p>
        ) : rejected.length === 0 ? (
          <p class="muted">{t('rej.empty')}</p>
        ) : (
          <ul class="rejected-list" data-testid="rejected-list">
            {rejected.map((r) => (
              <RejectedItem key={r.seq} r={r} onDone={() => void loadRejected()} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
