// A type-to-filter picker: type a few letters (diacritics optional), arrows
// to move, Enter or Tab to take the highlighted option, Escape to close.
// Works by touch too (tap the field, tap an option).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Ref } from 'preact';
import { filterOptions, type Matchable } from '../text';
import { t } from '../i18n';

export interface ComboOption extends Matchable {
  detail?: string;
}

export interface ComboboxProps {
  id: string;
  name?: string;
  options: readonly ComboOption[];
  value: string | null;
  onChange: (value: string | null, how: 'enter' | 'tab' | 'click' | 'blur') => void;
  disabled?: boolean;
  placeholder?: string;
  invalid?: boolean;
  describedBy?: string;
  inputRef?: Ref<HTMLInputElement>;
  loading?: boolean;
  testid?: string;
  showCodes?: boolean;
}

const MAX_SHOWN = 80;

export function Combobox(p: ComboboxProps) {
  const [query, setQuery] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  // Typed and confirmed (Tab, Enter) before the options arrived: picked when they do.
  const [pending, setPending] = useState<{ query: string; how: 'enter' | 'tab' | 'blur' } | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const selected = p.options.find((o) => o.value === p.value) ?? null;
  const matches = useMemo(() => filterOptions(p.options, query ?? ''), [p.options, query]);
  const shown = matches.slice(0, MAX_SHOWN);
  const listId = `${p.id}-list`;

  useEffect(() => {
    if (!pending || p.options.length === 0) return;
    const best = filterOptions(p.options, pending.query)[0];
    setPending(null);
    if (best) p.onChange(best.value, pending.how);
  }, [p.options, pending]);

  useEffect(() => {
    if (!open || !listRef.current) return;
    const el = listRef.current.querySelector<HTMLElement>(`[data-index="${active}"]`);
    el?.scrollIntoView?.({ block: 'nearest' });
  }, [active, open]);

  /** True (and the pick is kept for later) when the options are not there yet. */
  const deferred = (how: 'enter' | 'tab' | 'blur'): boolean => {
    if (p.options.length > 0 || query === null || query.trim() === '') return false;
    setPending({ query, how });
    setQuery(null);
    setOpen(false);
    return true;
  };

  const choose = (o: ComboOption | undefined, how: 'enter' | 'tab' | 'click' | 'blur') => {
    setQuery(null);
    setOpen(false);
    setActive(0);
    if (o) p.onChange(o.value, how);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!open) setOpen(true);
        else setActive((a) => Math.min(a + 1, shown.length - 1));
        break;
      case 'ArrowUp':
        e.preventDefault();
        setActive((a) => Math.max(a - 1, 0));
        break;
      case 'Enter':
        if (deferred('enter')) e.preventDefault();
        else if (open && shown.length > 0) {
          e.preventDefault();
          choose(shown[active], 'enter');
        } else if (open) {
          e.preventDefault();
        }
        break;
      case 'Tab':
        if (deferred('tab')) break;
        if (open && query !== null && query.trim() !== '' && shown.length > 0) choose(shown[active], 'tab');
        else {
          setOpen(false);
          setQuery(null);
        }
        break;
      case 'Escape':
        if (open || query !== null) {
          e.preventDefault();
          e.stopPropagation();
          setOpen(false);
          setQuery(null);
        }
        break;
    }
  };

  const display = query ?? pending?.query ?? selected?.label ?? '';
  const activeId = open && shown[active] ? `${p.id}-opt-${shown[active].value}` : undefined;

  return (
    <div class="combo">
      <input
        id={p.id}
        name={p.name ?? p.id}
        ref={p.inputRef}
        type="text"
        role="combobox"
        autoComplete="off"
        spellcheck={false}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={activeId}
        aria-invalid={p.invalid ? true : undefined}
        aria-describedby={p.describedBy}
        data-testid={p.testid}
        data-value={p.value ?? ''}
        disabled={p.disabled}
        placeholder={p.loading ? t('common.loading') : (p.placeholder ?? t('common.search'))}
        value={display}
        onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
        onClick={() => setOpen(true)}
        onInput={(e) => {
          setQuery((e.currentTarget as HTMLInputElement).value);
          setOpen(true);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => {
          if (deferred('blur')) return;
          if (query !== null && query.trim() !== '' && shown.length > 0) choose(shown[active], 'blur');
          else {
            setQuery(null);
            setOpen(false);
          }
        }}
      />
      {open && (
        <ul class="combo-list" id={listId} role="listbox" ref={listRef}>
          {shown.length === 0 ? (
            <li class="combo-empty" role="presentation">
              {t('common.noMatch')}
            </li>
          ) : (
            shown.map((o, i) => (
              <li
                key={o.value}
                id={`${p.id}-opt-${o.value}`}
                role="option"
                data-index={i}
                aria-selected={i === active}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(o, 'click')}
                onMouseMove={() => i !== active && setActive(i)}
              >
                <span>{o.label}</span>
                {p.showCodes && <span class="code">{o.value}</span>}
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}
