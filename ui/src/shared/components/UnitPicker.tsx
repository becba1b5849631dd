// Province -> district -> commune pickers fed by the `units` command. Choosing
// a unit clears the levels below it; picking with Enter or a tap moves the
// focus to the next level.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Unit } from '../gen';
import { t } from '../i18n';
import { Combobox, type ComboOption } from './Combobox';
import { FieldErrorText, describedBy } from './Field';

export interface UnitCodes {
  province_code: string;
  district_code: string;
  commune_code: string;
}

export const NO_UNITS: UnitCodes = { province_code: '', district_code: '', commune_code: '' };

export type LoadUnits = (parent: string | null) => Promise<Unit[]>;

const cache = new WeakMap<LoadUnits, Map<string, Promise<Unit[]>>>();

/**
 * Units below `parent`, fetched once per loader. An empty answer is not kept:
 * a station gets its units with its enrollment and sync config, so a list
 * asked for before that is asked for again.
 */
export function cachedUnits(load: LoadUnits, parent: string | null): Promise<Unit[]> {
  let m = cache.get(load);
  if (!m) cache.set(load, (m = new Map()));
  const key = parent ?? '';
  let p = m.get(key);
  if (!p) {
    p = load(parent);
    m.set(key, p);
    p.then(
      (us) => {
        if (us.length === 0) m.delete(key);
      },
      () => m.delete(key),
    );
  }
  return p;
}

function useUnits(load: LoadUnits, parent: string | null, enabled: boolean) {
  const [state, setState] = useState<{ parent: string | null; units: ComboOption[]; loading: boolean; failed: boolean }>({
    parent: null,
    units: [],
    loading: false,
    failed: false,
  });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!enabled) {
      setState({ parent, units: [], loading: false, failed: false });
      return;
    }
    let live = true;
    // Never show the previous parent's units while the new ones load.
    setState({ parent, units: [], loading: true, failed: false });
    cachedUnits(load, parent).then(
      (us) => live && setState({ parent, units: us.map((u) => ({ value: u.code, label: u.name })), loading: false, failed: false }),
      () => live && setState({ parent, units: [], loading: false, failed: true }),
    );
    return () => {
      live = false;
    };
  }, [load, parent, enabled, attempt]);
  return { ...state, retry: () => setAttempt((a) => a + 1) };
}

export interface UnitPickerProps {
  idPrefix: string;
  value: UnitCodes;
  onChange: (v: UnitCodes) => void;
  load: LoadUnits;
  errors?: { province?: string | null; district?: string | null; commune?: string | null };
  required?: boolean;
  /** Called after the commune was picked with Enter or a tap (e.g. to focus the street). */
  onDone?: () => void;
  showCodes?: boolean;
}

export function UnitPicker(p: UnitPickerProps) {
  const provinces = useUnits(p.load, null, true);
  const districts = useUnits(p.load, p.value.province_code || null, p.value.province_code !== '');
  const communes = useUnits(p.load, p.value.district_code || null, p.value.district_code !== '');
  const districtRef = useRef<HTMLInputElement>(null);
  const communeRef = useRef<HTMLInputElement>(null);
  const errors = p.errors ?? {};

  const level = (
    key: 'province' | 'district' | 'commune',
    label: string,
    data: ReturnType<typeof useUnits>,
    value: string,
    disabled: boolean,
    disabledHint: string | null,
    onPick: (code: string, how: string) => void,
    ref?: typeof districtRef,
  ) => {
    const id = `${p.idPrefix}-${key}`;
    const error = errors[key] ?? null;
    const hint = data.failed ? t('errc.internal') : disabled ? disabledHint : null;
    return (
      <div class={`field ${error ? 'has-error' : ''}`} data-field={`address.${key}_code`}>
        <label for={id}>
          {label}
          {p.required && (
            <span class="req" aria-hidden="true">
              {' *'}
            </span>
          )}
        </label>
        <Combobox
          id={id}
          inputRef={ref}
          options={data.units}
          value={value || null}
          loading={data.loading}
          disabled={disabled}
          invalid={!!error}
          describedBy={describedBy(id, hint, error)}
          placeholder={disabled && disabledHint ? disabledHint : undefined}
          showCodes={p.showCodes}
          testid={`unit-${key}`}
          onChange={(code, how) => code && onPick(code, how)}
        />
        {data.failed && (
          <button type="button" class="btn btn-secondary" onClick={data.retry}>
            {t('common.retry')}
          </button>
        )}
        {hint && !disabled && (
          <div class="field-hint" id={`${id}-hint`}>
            {hint}
          </div>
        )}
        <FieldErrorText id={id} error={error} />
      </div>
    );
  };

  const focusSoon = (el: { current: HTMLInputElement | null }) => setTimeout(() => el.current?.focus(), 0);

  return (
    <div class="field-row unit-picker">
      {level('province', t('field.province'), provinces, p.value.province_code, false, null, (code, how) => {
        if (code !== p.value.province_code) p.onChange({ province_code: code, district_code: '', commune_code: '' });
        if (how === 'enter' || how === 'click') focusSoon(districtRef);
      })}
      {level(
        'district',
        t('field.district'),
        districts,
        p.value.district_code,
        p.value.province_code === '',
        t('common.chooseFirst', { what: t('field.province').toLowerCase() }),
        (code, how) => {
          if (code !== p.value.district_code) p.onChange({ ...p.value, district_code: code, commune_code: '' });
          if (how === 'enter' || how === 'click') focusSoon(communeRef);
        },
        districtRef,
      )}
      {level(
        'commune',
        t('field.commune'),
        communes,
        p.value.commune_code,
        p.value.district_code === '',
        t('common.chooseFirst', { what: t('field.district').toLowerCase() }),
        (code, how) => {
          if (code !== p.value.commune_code) p.onChange({ ...p.value, commune_code: code });
          if (how === 'enter' || how === 'click') setTimeout(() => p.onDone?.(), 0);
        },
        communeRef,
      )}
    </div>
  );
}
