// Form fields with their label, hint and error text (the error says how to fix
// the value). The error text has data-testid="field-error" and the field
// wrapper data-field="<name>" so tests and people find them.
import type { ComponentChildren, Ref } from 'preact';
import { t } from '../i18n';

/** aria-describedby for a control with an optional hint and error. */
export function describedBy(id: string, hint?: unknown, error?: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

interface LabelBits {
  label: ComponentChildren;
  required?: boolean;
  optional?: boolean;
}

function LabelText({ label, required, optional }: LabelBits) {
  return (
    <>
      {label}
      {required && (
        <span class="req" aria-hidden="true">
          {' *'}
        </span>
      )}
      {optional && <span class="opt"> ({t('common.optional')})</span>}
    </>
  );
}

export function FieldHint({ id, hint }: { id: string; hint?: ComponentChildren }) {
  return hint ? (
    <div class="field-hint" id={`${id}-hint`}>
      {hint}
    </div>
  ) : null;
}

export function FieldErrorText({ id, error }: { id: string; error?: string | null }) {
  return error ? (
    <div class="field-error" id={`${id}-error`} data-testid="field-error">
      {error}
    </div>
  ) : null;
}

export interface FieldProps extends LabelBits {
  id: string;
  name?: string;
  hint?: ComponentChildren;
  error?: string | null;
  class?: string;
  children: ComponentChildren;
}

/** A label, one control (children, given `id`), hint and error. */
export function Field(p: FieldProps) {
  return (
    <div class={`field ${p.error ? 'has-error' : ''} ${p.class ?? ''}`} data-field={p.name ?? p.id}>
      <label for={p.id}>
        <LabelText label={p.label} required={p.required} optional={p.optional} />
      </label>
      {p.children}
      <FieldHint id={p.id} hint={p.hint} />
      <FieldErrorText id={p.id} error={p.error} />
    </div>
  );
}

export interface TextFieldProps extends LabelBits {
  id: string;
  name?: string;
  value: string;
  onValue: (v: string) => void;
  hint?: ComponentChildren;
  error?: string | null;
  type?: 'text' | 'tel' | 'email' | 'password' | 'url' | 'search';
  inputMode?: 'text' | 'numeric' | 'tel' | 'email' | 'decimal' | 'url' | 'search';
  autoComplete?: string;
  autoFocus?: boolean;
  placeholder?: string;
  maxLength?: number;
  inputRef?: Ref<HTMLInputElement>;
  class?: string;
  onKeyDown?: (e: KeyboardEvent) => void;
  onBlur?: () => void;
  autoCapitalize?: 'characters' | 'none' | 'off' | 'on' | 'sentences' | 'words';
  spellcheck?: boolean;
  testid?: string;
}

export function TextField(p: TextFieldProps) {
  return (
    <Field
      id={p.id}
      name={p.name}
      label={p.label}
      required={p.required}
      optional={p.optional}
      hint={p.hint}
      error={p.error}
      class={p.class}
    >
      <input
        id={p.id}
        name={p.name ?? p.id}
        ref={p.inputRef}
        type={(p.type ?? 'text') as 'text'}
        inputMode={p.inputMode}
        autoComplete={p.autoComplete ?? 'off'}
        autoFocus={p.autoFocus}
        placeholder={p.placeholder}
        maxLength={p.maxLength}
        value={p.value}
        aria-invalid={p.error ? true : undefined}
        aria-required={p.required ? true : undefined}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
        autoCapitalize={p.autoCapitalize}
        spellcheck={p.spellcheck ?? false}
        data-testid={p.testid}
        onInput={(e) => p.onValue((e.currentTarget as HTMLInputElement).value)}
        onKeyDown={p.onKeyDown}
        onBlur={p.onBlur}
      />
    </Field>
  );
}

export interface ChoiceOption<V extends string> {
  value: V;
  label: ComponentChildren;
}

export interface ChoiceGroupProps<V extends string> extends LabelBits {
  id: string;
  name?: string;
  options: readonly ChoiceOption<V>[];
  value: V | null;
  onValue: (v: V) => void;
  error?: string | null;
  hint?: ComponentChildren;
  stack?: boolean;
  class?: string;
}

/** Radio buttons drawn as big tiles, in a fieldset with a legend. */
export function ChoiceGroup<V extends string>(p: ChoiceGroupProps<V>) {
  return (
    <fieldset
      class={`field ${p.error ? 'has-error' : ''} ${p.class ?? ''}`}
      data-field={p.name ?? p.id}
      aria-describedby={describedBy(p.id, p.hint, p.error)}
    >
      <legend class="field-label">
        <LabelText label={p.label} required={p.required} optional={p.optional} />
      </legend>
      <div class={`choice-group ${p.stack ? 'choice-stack' : ''}`} role="radiogroup">
        {p.options.map((o, i) => (
          <label class="choice" key={o.value}>
            <input
              type="radio"
              id={i === 0 ? p.id : undefined}
              name={p.name ?? p.id}
              value={o.value}
              checked={p.value === o.value}
              aria-invalid={p.error ? true : undefined}
              onChange={() => p.onValue(o.value)}
            />
            <span class="choice-text">{o.label}</span>
          </label>
        ))}
      </div>
      <FieldHint id={p.id} hint={p.hint} />
      <FieldErrorText id={p.id} error={p.error} />
    </fieldset>
  );
}

export interface CheckTileProps {
  id?: string;
  name?: string;
  checked: boolean;
  onValue: (v: boolean) => void;
  children: ComponentChildren;
  invalid?: boolean;
  describedBy?: string;
}

/** One checkbox drawn as a big tile. */
export function CheckTile(p: CheckTileProps) {
  return (
    <label class="choice" data-field={p.name}>
      <input
        type="checkbox"
        id={p.id}
        name={p.name}
        checked={p.checked}
        aria-invalid={p.invalid ? true : undefined}
        aria-describedby={p.describedBy}
        onChange={(e) => p.onValue((e.currentTarget as HTMLInputElement).checked)}
      />
      <span class="choice-text">{p.children}</span>
    </label>
  );
}
