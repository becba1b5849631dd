// Theo dõi cách ly — quarantine follow-up: who has not sent today's health
// update comes first; register a person; record the daily update found by
// scanning/typing their code or picking them from the list.
//
// Stable hooks for end-to-end tests:
//   [data-testid=q-due]   list of people not updated today (<li data-testid=q-case data-case-id data-due=true>)
//   [data-testid=q-done]  list of people updated today
//   #q-find + [data-testid=q-find-submit]; [data-testid=q-not-found]
//   [data-testid=q-register-open] -> dialog [data-testid=q-register] (#q-code, #q-name, #q-idphone, #q-birth,
//        #q-place, #q-start, #q-end, [data-testid=q-register-submit])
//   button [data-testid=q-update-open] on each case -> dialog [data-testid=q-update]
//        (#q-temp, symptom tiles, #q-note, [data-testid=q-update-submit])
// USB keyboard-wedge scanners work on this screen (they find the person).
import { useEffect, useState } from 'preact/hooks';
import type { FieldError, QuarantineCase, QuarantineKind, Symptoms } from '../../shared/gen';
import { lang, t } from '../../shared/i18n';
import { SYMPTOMS, noSymptoms, personProblemsOf, typedPerson, type PersonProblems } from '../../shared/declaration';
import { personProblemText } from '../../shared/field-errors';
import { errorAdvice } from '../../shared/errors';
import { addDays, daysBetween, formatDecimal, formatIsoDate, formatWhen, localIsoDate, parseDateInput, parseDecimal } from '../../shared/format';
import { toCommandError } from '../../shared/backend';
import { ChoiceGroup, CheckTile, Field, TextField } from '../../shared/components/Field';
import { Dialog } from '../../shared/components/Dialog';
import { toast } from '../../shared/components/toast';
import { useStation, useWedge } from '../station';

const FEVER_C = 37.5;

function CaseItem({ c, onUpdate }: { c: QuarantineCase; onUpdate: () => void }) {
  const today = localIsoDate(new Date());
  const total = daysBetween(c.start_date, c.end_date) + 1;
  const day = Math.min(total, Math.max(1, daysBetween(c.start_date, today) + 1));
  const u = c.last_update;
  const fever = u && ((u.temperature_c !== null && u.temperature_c >= FEVER_C) || u.symptoms.fever);
  const level = u?.verdict.level ?? 'green';
  const symptoms = u ? SYMPTOMS.filter((s) => u.symptoms[s]).map((s) => t(`symptom.${s}`)) : [];
  return (
    <li class={`q-case ${c.active && !c.updated_today ? 'q-due' : ''}`} data-testid="q-case" data-case-id={c.id} data-due={String(c.active && !c.updated_today)}>
      <div class="q-main">
        <p class="q-name">
          {c.person.name}
          {c.active && !c.updated_today && <span class="tag tag-amber">! {t('q.notToday')}</span>}
        </p>
        <p class="q-meta">
          {[c.person.id_hint && t('person.idHint', { hint: c.person.id_hint }), c.person.birth_year && t('person.born', { year: c.person.birth_year })]
            .filter(Boolean)
            .join(' · ')}
        </p>
        <p class="q-meta">
          <span class="tag tag-grey">{c.kind === 'home' ? t('q.home') : t('q.facility')}</span> {c.place}
        </p>
        <p class="q-meta">
          {t('q.period', { start: formatIsoDate(c.start_date), end: formatIsoDate(c.end_date) })} · {t('q.day', { n: day, total })}
        </p>
        <p class="q-meta">
          {u ? (
            <>
              {t('q.lastUpdate', { time: formatWhen(u.at, new Date()) })}
              {u.temperature_c !== null && (
                <>
                  {' · '}
                  <span class={fever ? 'tag tag-red' : ''}>{t('q.temp', { t: formatDecimal(u.temperature_c, lang.value) })}</span>
                </>
              )}
              {symptoms.length > 0 && <> · {symptoms.join(', ')}</>}
              {level !== 'green' && (
                <>
                  {' '}
                  <span class={`tag tag-${level}`}>{t(`level.${level}`)}</span>
                </>
              )}
            </>
          ) : (
            <span class="muted">{t('q.noUpdate')}</span>
          )}
        </p>
      </div>
      <button type="button" class={`btn ${c.updated_today ? 'btn-secondary' : ''}`} data-testid="q-update-open" onClick={onUpdate}>
        {t('q.updateBtn')}
      </button>
    </li>
  );
}

function UpdateDialog({ c, onClose, onSaved }: { c: QuarantineCase; onClose: () => void; onSaved: (c: QuarantineCase) => void }) {
  const station = useStation();
  const [temp, setTemp] = useState('');
  const [symptoms, setSymptoms] = useState<Symptoms>(noSymptoms());
  const [note, setNote] = useState('');
  const [tempError, setTempError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    let temperature_c: number | null = null;
    if (temp.trim() !== '') {
      const n = parseDecimal(temp);
      if (n === null || n < 34 || n > 43) {
        setTempError(t('q.tempError'));
        return;
      }
      temperature_c = n;
    }
    setTempError(null);
    setBusy(true);
    try {
      const r = await station.backend.quarantine_update({ input: { case_id: c.id, temperature_c, symptoms, note: note.trim() } });
      toast(t('q.updated', { name: r.person.name }), 'ok');
      onSaved(r);
    } catch (x) {
      const ce = toCommandError(x);
      if (ce.fields?.some((f) => f.field === 'temperature_c') || ce.code === 'invalid_temperature') setTempError(t('q.tempError'));
      else station.fail(ce);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('q.updTitle', { name: c.person.name })} onClose={onClose} testid="q-update" id="q-update">
      <form onSubmit={submit} noValidate>
        <TextField id="q-temp" label={t('q.tempLabel')} value={temp} onValue={(v) => { setTemp(v); setTempError(null); }} error={tempError} hint={t('q.tempHint')} inputMode="decimal" autoFocus maxLength={5} />
        <Field id="q-symptoms" label={t('q.symptomsToday')}>
          <div class="tiles compact" id="q-symptoms">
            {SYMPTOMS.map((s) => (
              <CheckTile key={s} name={`q-symptom-${s}`} checked={symptoms[s]} onValue={(v) => setSymptoms({ ...symptoms, [s]: v })}>
                {t(`symptom.${s}`)}
              </CheckTile>
            ))}
          </div>
        </Field>
        <Field id="q-note" label={t('q.note')} optional>
          <textarea id="q-note" value={note} maxLength={500} onInput={(e) => setNote(e.currentTarget.value)} />
        </Field>
        <div class="btn-row">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="btn btn-lg" disabled={busy} data-testid="q-update-submit">
            {t('q.updSubmit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

interface RegErrors {
  who?: string;
  person?: PersonProblems;
  place?: string;
  start?: string;
  end?: string;
  code?: string;
}

function RegisterDialog({ initialCode, onClose, onSaved }: { initialCode: string; onClose: () => void; onSaved: (c: QuarantineCase) => void }) {
  const station = useStation();
  const today = localIsoDate(new Date());
  const [code, setCode] = useState(initialCode);
  const [name, setName] = useState('');
  const [idPhone, setIdPhone] = useState('');
  const [birth, setBirth] = useState('');
  const [kind, setKind] = useState<QuarantineKind>('home');
  const [place, setPlace] = useState('');
  const [start, setStart] = useState(formatIsoDate(today));
  const [end, setEnd] = useState(formatIsoDate(addDays(today, 14)));
  const [errors, setErrors] = useState<RegErrors>({});
  const [busy, setBusy] = useState(false);
  const year = new Date().getFullYear();
  const personMsg = (p: PersonProblems[keyof PersonProblems]) => personProblemText(p, year);

  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: RegErrors = {};
    let person = null;
    if (code.trim() === '') {
      const r = typedPerson(name, idPhone, birth, year);
      if (!r.person) {
        errs.person = r.problems;
        if (name.trim() === '' && idPhone.trim() === '') errs.who = t('q.needPerson');
      }
      person = r.person;
    }
    if (place.trim() === '') errs.place = t('q.placeMissing');
    const s = parseDateInput(start);
    const en = parseDateInput(end);
    if (!s) errs.start = t('paper.errDate');
    if (!en) errs.end = t('paper.errDate');
    else if (s && en < s) errs.end = t('q.endBeforeStart');
    else if (s && daysBetween(s, en) > 60) errs.end = t('q.endTooLate');
    setErrors(errs);
    if (Object.keys(errs).length > 0 || !s || !en) return;
    setBusy(true);
    try {
      const c = await station.backend.quarantine_register({
        input: { code: code.trim() || null, person, kind, place: place.trim(), start_date: s, end_date: en },
      });
      toast(t('q.registered', { name: c.person.name }), 'ok');
      onSaved(c);
    } catch (x) {
      const ce = toCommandError(x);
      const fields: FieldError[] = ce.fields ?? [];
      if (ce.code === 'invalid_person' && fields.length) setErrors({ person: personProblemsOf(fields) });
      else if (fields.length) {
        const next: RegErrors = {};
        for (const f of fields) {
          if (f.field === 'place') next.place = t('q.placeMissing');
          else if (f.field === 'end_date')
            next.end = f.problem.problem === 'out_of_range' && /60/.test(f.problem.detail) ? t('q.endTooLate') : t('q.endBeforeStart');
          else if (f.field === 'start_date') next.start = t('paper.errDate');
          else next.who = t('q.needPerson');
        }
        setErrors(next);
      } else if (ce.code === 'person_missing') setErrors({ who: t('q.needPerson') });
      else if (['invalid_code', 'empty_code', 'code_too_long', 'person_unidentified'].includes(ce.code))
        setErrors({ code: errorAdvice(ce.code) });
      else station.fail(ce);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('q.regTitle')} onClose={onClose} testid="q-register" id="q-register">
      <form onSubmit={submit} noValidate>
        <TextField id="q-code" label={t('q.regCode')} optional value={code} onValue={setCode} error={errors.code} autoFocus />
        <p class="muted">{t('q.regOr')}</p>
        {errors.who && <p class="field-error">{errors.who}</p>}
        <div class="field-row">
          <TextField id="q-name" label={t('person.name')} value={name} onValue={setName} error={personMsg(errors.person?.name)} autoCapitalize="words" />
          <TextField id="q-idphone" label={t('person.idOrPhone')} value={idPhone} onValue={setIdPhone} error={personMsg(errors.person?.idOrPhone)} />
          <TextField id="q-birth" label={t('person.birthYear')} optional value={birth} onValue={setBirth} error={personMsg(errors.person?.birthYear)} inputMode="numeric" maxLength={4} />
        </div>
        <ChoiceGroup<QuarantineKind>
          id="q-kind"
          label={t('q.kind')}
          required
          value={kind}
          onValue={setKind}
          options={[
            { value: 'home', label: t('q.home') },
            { value: 'facility', label: t('q.facility') },
          ]}
        />
        <TextField id="q-place" label={t('q.place')} required value={place} onValue={(v) => { setPlace(v); setErrors((e) => ({ ...e, place: undefined })); }} error={errors.place} />
        <div class="field-row">
          <TextField id="q-start" label={t('q.start')} required value={start} onValue={setStart} error={errors.start} hint={t('paper.dateHint')} inputMode="numeric" maxLength={10} />
          <TextField id="q-end" label={t('q.end')} required value={end} onValue={(v) => { setEnd(v); setErrors((e) => ({ ...e, end: undefined })); }} error={errors.end} hint={t('paper.dateHint')} inputMode="numeric" maxLength={10} />
        </div>
        <div class="btn-row">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="btn btn-lg" disabled={busy} data-testid="q-register-submit">
            {t('q.regSubmit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function Quarantine() {
  const station = useStation();
  const [cases, setCases] = useState<QuarantineCase[] | null>(null);
  const [findCode, setFindCode] = useState('');
  const [notFound, setNotFound] = useState(false);
  const [updating, setUpdating] = useState<QuarantineCase | null>(null);
  const [registering, setRegistering] = useState<string | null>(null);
  const due = station.status.value?.quarantine_due;

  const load = async () => {
    const list = await station.run(station.backend.quarantine_list());
    if (list) setCases(list);
  };
  useEffect(() => {
    void load();
  }, [due]);

  const find = async (code: string) => {
    if (!code.trim()) return;
    setNotFound(false);
    const c = await station.run(station.backend.quarantine_find({ code: code.trim() }));
    if (c === undefined) return;
    if (c === null) setNotFound(true);
    else {
      setFindCode('');
      setUpdating(c);
    }
  };

  useWedge(updating || registering !== null ? null : (code) => void find(code));

  const saved = (c: QuarantineCase) => {
    setUpdating(null);
    setRegistering(null);
    setCases((list) => (list ? [...list.filter((x) => x.id !== c.id), c] : [c]));
    void load();
  };

  const byName = (a: QuarantineCase, b: QuarantineCase) => a.person.name.localeCompare(b.person.name, 'vi');
  const dueList = (cases ?? []).filter((c) => c.active && !c.updated_today).sort(byName);
  const doneList = (cases ?? []).filter((c) => c.active && c.updated_today).sort(byName);
  const inactive = (cases ?? []).filter((c) => !c.active).sort(byName);

  return (
    <div class="quarantine">
      <div class="screen-head">
        <h1>{t('q.title')}</h1>
        <button type="button" class="btn btn-lg" data-testid="q-register-open" onClick={() => setRegistering(findCode)}>
          {t('q.registerBtn')}
        </button>
      </div>
      <form
        class="card find-bar"
        onSubmit={(e) => {
          e.preventDefault();
          void find(findCode);
        }}
        noValidate
      >
        <TextField id="q-find" label={t('q.find')} value={findCode} onValue={setFindCode} hint={t('q.findHint')} class="grow" />
        <button type="submit" class="btn btn-lg" data-testid="q-find-submit">
          {t('q.findSubmit')}
        </button>
      </form>
      {notFound && (
        <div class="notice notice-warn" role="alert" data-testid="q-not-found">
          <p>{t('q.notFound')}</p>
          <button type="button" class="btn btn-secondary" onClick={() => setRegistering(findCode)}>
            {t('q.registerBtn')}
          </button>
        </div>
      )}
      {cases === null ? (
        <p class="muted">{t('common.loading')}</p>
      ) : cases.length === 0 ? (
        <p class="card muted">{t('q.empty')}</p>
      ) : (
        <div class="q-lists">
          <section class="card q-section q-section-due" aria-labelledby="q-due-title">
            <h2 id="q-due-title">{t('q.due', { n: dueList.length })}</h2>
            {dueList.length === 0 ? (
              <p class="notice notice-ok">{t('q.dueEmpty')}</p>
            ) : (
              <ul class="q-list" data-testid="q-due">
                {dueList.map((c) => (
                  <CaseItem key={c.id} c={c} onUpdate={() => setUpdating(c)} />
                ))}
              </ul>
            )}
          </section>
          <section class="card q-section" aria-labelledby="q-done-title">
            <h2 id="q-done-title">{t('q.done', { n: doneList.length })}</h2>
            <ul class="q-list" data-testid="q-done">
              {doneList.map((c) => (
                <CaseItem key={c.id} c={c} onUpdate={() => setUpdating(c)} />
              ))}
            </ul>
            {inactive.length > 0 && (
              <>
                <h2>{t('q.inactive', { n: inactive.length })}</h2>
                <ul class="q-list" data-testid="q-inactive">
                  {inactive.map((c) => (
                    <CaseItem key={c.id} c={c} onUpdate={() => setUpdating(c)} />
                  ))}
                </ul>
              </>
            )}
          </section>
        </div>
      )}
      {updating && <UpdateDialog c={updating} onClose={() => setUpdating(null)} onSaved={saved} />}
      {registering !== null && <RegisterDialog initialCode={registering} onClose={() => setRegistering(null)} onSaved={saved} />}
    </div>
  );
}

