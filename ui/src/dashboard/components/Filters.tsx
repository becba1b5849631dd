// The query bar of a report: the unit (from GET /areas), the dates or week,
// "Show report", and the download links for what is shown.
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { Combobox, type ComboOption } from '../../shared/components/Combobox';
import { lang, t } from '../i18n';
import { useDashboard } from '../state';
import type { Unit } from '../types';

/** Picker options: every unit of the user's area, communes named with their district. */
export function unitOptions(units: readonly Unit[], area: Unit | null, language: string): ComboOption[] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  if (area) byCode.set(area.code, area);
  void language;
  return [...byCode.values()].map((u) => {
    const parent = u.level === 'commune' && u.parent ? byCode.get(u.parent) : undefined;
    return {
      value: u.code,
      label: parent ? t('unit.inDistrict', { name: u.name, parent: parent.name }) : u.name,
    };
  });
}

export function UnitField({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  const dash = useDashboard();
  const areas = dash.areas.value;
  const fallback = dash.session.value?.user.area ?? null;
  const options = useMemo(
    () => unitOptions(areas?.units ?? (fallback ? [fallback] : []), areas?.area ?? fallback, lang.value),
    [areas, fallback, lang.value],
  );
  return (
    <div class="field field-unit" data-field="unit">
      <label for="unit">{t('unit.label')}</label>
      <Combobox
        id="unit"
        options={options}
        value={value}
        loading={!areas && !dash.areasError.value}
        describedBy="unit-hint"
        testid="unit-picker"
        showCodes
        onChange={(v) => v && v !== value && onChange(v)}
      />
      <div class="field-hint" id="unit-hint">
        {t('unit.hint')}
      </div>
    </div>
  );
}

/** A date typed as written on paper (dd/mm/yyyy), whatever the browser's own date format. */
export function DateField(p: { id: string; label: string; value: string; error?: string | null; onValue: (text: string) => void; hint?: string }) {
  const described = [p.error ? `${p.id}-error` : '', p.hint ?? 'date-hint'].filter(Boolean).join(' ');
  return (
    <div class={`field field-date ${p.error ? 'has-error' : ''}`} data-field={p.id}>
      <label for={p.id}>{p.label}</label>
      <input
        id={p.id}
        name={p.id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellcheck={false}
        maxLength={10}
        class="input"
        placeholder={t('common.datePlaceholder')}
        value={p.value}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={described}
        onInput={(e) => p.onValue((e.currentTarget as HTMLInputElement).value)}
      />
      {p.error && (
        <div class="field-error" id={`${p.id}-error`} data-testid="field-error">
          {p.error}
        </div>
      )}
    </div>
  );
}

/** Two date fields side by side (or one, `single`), with the hint they point at under them. */
export function DatePair({ children, single = false }: { children: ComponentChildren; single?: boolean }) {
  return (
    <div class={single ? 'date-pair date-single' : 'date-pair'}>
      {children}
      <p class="field-hint date-hint" id="date-hint">
        {t('common.dateHint')}
      </p>
    </div>
  );
}

export function FilterBar({ children, onSubmit }: { children: ComponentChildren; onSubmit?: () => void }) {
  return (
    <form
      class="filters card no-print"
      aria-label={t('common.show')}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit?.();
      }}
      noValidate
    >
      {children}
    </form>
  );
}

/** The report's title, with its downloads beside it once there is something to download. */
export function ReportHead({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="report-head">
      <h1 id="report-title" tabIndex={-1}>
        {title}
      </h1>
      {children}
    </div>
  );
}

/** The CSV and XLSX download links of a report; `children` come first (the weekly report's print button), `extraClass` e.g. "no-print". */
export function Downloads({ csv, xlsx, children, extraClass }: { csv: string; xlsx: string; children?: ComponentChildren; extraClass?: string }) {
  return (
    <div class={extraClass ? `downloads ${extraClass}` : 'downloads'} role="group" aria-label={t('common.downloads')}>
      {children}
      <a class="btn btn-secondary" href={csv} download data-testid="download-csv">
        <DownloadIcon /> {t('common.csv')}
      </a>
      <a class="btn btn-secondary" href={xlsx} download data-testid="download-xlsx">
        <DownloadIcon /> {t('common.xlsx')}
      </a>
    </div>
  );
}

/** A figure with its label, e.g. "Tổng lượt quét 1.234 (+56)". */
export function Stat({ label, value, change, testid }: { label: string; value: string; change?: string; testid?: string }) {
  return (
    <div class="stat" data-testid={testid}>
      <div class="stat-label">{label}</div>
      <div class="stat-value" data-testid={testid ? `${testid}-value` : undefined}>
        {value}
      </div>
      {change !== undefined && <div class="stat-change">{change}</div>}
    </div>
  );
}

function DownloadIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path d="M10 2v11m-5-5 5 5 5-5M3 17h14" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
