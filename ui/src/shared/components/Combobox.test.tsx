import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { Combobox, type ComboOption } from './Combobox';

const UNITS: ComboOption[] = [
  { value: '001', label: 'Quận Ba Đình' },
  { value: '002', label: 'Quận Hoàn Kiếm' },
  { value: '006', label: 'Quận Đống Đa' },
];

let root: HTMLElement;
afterEach(() => {
  render(null, root);
  root.remove();
});

function mount(options: ComboOption[], onChange = vi.fn()) {
  root = document.createElement('div');
  document.body.append(root);
  const draw = (opts: ComboOption[], value: string | null = null) =>
    act(() => render(<Combobox id="c" options={opts} value={value} onChange={onChange} />, root));
  draw(options);
  const input = root.querySelector('input')!;
  const type = (text: string) =>
    act(() => {
      input.value = text;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
  const key = (k: string) => act(() => void input.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true })));
  return { input, type, key, draw, onChange };
}

describe('Combobox', () => {
  it('filters as you type (without diacritics) and takes the highlighted option with Enter', () => {
    const { type, key, onChange } = mount(UNITS);
    type('dong da');
    expect([...root.querySelectorAll('[role=option]')].map((li) => li.textContent)).toEqual(['Quận Đống Đa']);
    key('Enter');
    expect(onChange).toHaveBeenCalledWith('006', 'enter');
  });

  it('arrows move, Tab takes the option, Escape closes', () => {
    const { type, key, onChange } = mount(UNITS);
    type('quan');
    key('ArrowDown');
    key('Tab');
    expect(onChange).toHaveBeenCalledWith('002', 'tab');
    type('ba');
    key('Escape');
    expect(root.querySelector('[role=listbox]')).toBeNull();
  });

  it('a pick typed before the options arrive is made when they do', () => {
    const { type, key, draw, onChange } = mount([]);
    type('hoan kiem');
    key('Tab');
    expect(onChange).not.toHaveBeenCalled();
    draw(UNITS);
    expect(onChange).toHaveBeenCalledWith('002', 'tab');
  });

  it('shows the chosen option by name', () => {
    const { input, draw } = mount(UNITS);
    draw(UNITS, '001');
    expect(input.value).toBe('Quận Ba Đình');
    expect(input.getAttribute('data-value')).toBe('001');
  });
});
