// The ISO week picker the weekly pages share: the previous and next week
// buttons around a list of the recent weeks (never past the current one).
import { formatIsoDate } from '../../shared/format';
import { addWeeks, parseIsoWeek, recentWeeks, weekMonday, weekSunday } from '../dates';
import { t } from '../i18n';

/** "Tuần 32/2021 (09/08 – 15/08/2021)". */
export function weekLabel(w: string): string {
  const p = parseIsoWeek(w);
  if (!p) return w;
  const from = formatIsoDate(weekMonday(w));
  const to = formatIsoDate(weekSunday(w));
  return t('silent.weekOption', { week: p.week, year: p.year, from: from.slice(0, 5), to });
}

/** "Tuần 32/2021" without the dates, for chart rows and column heads. */
export function weekShort(w: string): string {
  return weekLabel(w).replace(/\s*\(.*\)$/, '');
}

/** Weeks offered: the half year up to `current`, and `week` wherever it is. */
export function weekOptions(current: string, week: string, count = 27): string[] {
  const weeks = recentWeeks(current, count);
  if (!weeks.includes(week)) weeks.push(week);
  return weeks;
}

export function WeekField({ week, current, onChange }: { week: string; current: string; onChange: (week: string) => void }) {
  const next = addWeeks(week, 1);
  return (
    <div class="field field-week" data-field="week">
      <label for="week">{t('silent.week')}</label>
      <div class="week-picker">
        <button
          type="button"
          class="btn btn-secondary btn-icon"
          aria-label={t('silent.prev')}
          title={t('silent.prev')}
          data-testid="week-prev"
          onClick={() => onChange(addWeeks(week, -1))}
        >
          ‹
        </button>
        <select id="week" class="input" value={week} data-testid="week" onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
          {weekOptions(current, week).map((w) => (
            <option key={w} value={w}>
              {weekLabel(w)}
              {w === current ? ` — ${t('silent.thisWeekTag')}` : ''}
            </option>
          ))}
        </select>
        <button
          type="button"
          class="btn btn-secondary btn-icon"
          aria-label={t('silent.next')}
          title={t('silent.next')}
          data-testid="week-next"
          disabled={next > current}
          onClick={() => onChange(next)}
        >
          ›
        </button>
      </div>
    </div>
  );
}
