// USB "keyboard wedge" scanners type a code as fast keystrokes ended by Enter.
// The detector tells such bursts from people typing by the time between keys;
// it is fed timestamps, so tests need no clock.

export interface WedgeOptions {
  /** Longest average pause between keys of one scan (scanners: 1-20 ms; people: 100+ ms). */
  maxAvgGapMs?: number;
  /** A pause this long starts a new burst (a person stopped typing). */
  pauseMs?: number;
  /** Shortest code accepted (shorter bursts are ignored). */
  minLength?: number;
}

export interface WedgeResult {
  /** The key belongs to a fast burst: the caller should stop its default action. */
  consume: boolean;
  /** A complete code, when this key was the Enter that ended it. */
  code?: string;
}

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock', 'NumLock']);

/**
 * Tells scanner bursts from typing by the average time between keys, so one
 * late key (a busy machine) does not cut a code in two.
 */
export class WedgeDetector {
  private chars: string[] = [];
  private times: number[] = [];
  private readonly maxAvgGap: number;
  private readonly pause: number;
  private readonly minLength: number;

  constructor(opts: WedgeOptions = {}) {
    this.maxAvgGap = opts.maxAvgGapMs ?? 35;
    this.pause = opts.pauseMs ?? 300;
    this.minLength = opts.minLength ?? 6;
  }

  /** Feeds one keydown (`key` as in KeyboardEvent.key) at time `t` (ms). */
  key(key: string, t: number): WedgeResult {
    if (MODIFIERS.has(key)) return { consume: false };
    const last = this.times.length ? this.times[this.times.length - 1] : Number.NEGATIVE_INFINITY;
    const gap = t - last;
    if (key === 'Enter') {
      const n = this.chars.length;
      const code = this.chars.join('');
      const avg = n >= 2 ? (this.times[n - 1] - this.times[0]) / (n - 1) : Number.POSITIVE_INFINITY;
      this.reset();
      if (n >= this.minLength && gap <= this.pause && avg <= this.maxAvgGap) return { consume: true, code };
      return { consume: false };
    }
    if ([...key].length !== 1) {
      // Tab, arrows, Backspace…: a person is at the keyboard.
      this.reset();
      return { consume: false };
    }
    if (gap > this.pause) this.reset();
    this.chars.push(key);
    this.times.push(t);
    // Mid-burst keys must not act on the page (Space would press a focused button).
    return { consume: this.chars.length >= 2 && gap <= this.maxAvgGap * 2 };
  }

  reset(): void {
    this.chars = [];
    this.times = [];
  }
}

/** True when keys typed at `target` belong to a field (and must be left alone). */
export function isEditable(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag !== 'input') return false;
  const type = ((el as HTMLInputElement).type || 'text').toLowerCase();
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(type);
}

/**
 * Listens on the whole document for scanner bursts typed outside fields and
 * calls `onCode`. Returns the function that stops listening.
 */
export function listenForWedge(
  doc: Document,
  onCode: (code: string) => void,
  opts: WedgeOptions = {},
): () => void {
  const detector = new WedgeDetector(opts);
  const handler = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
    if (isEditable(e.target)) {
      detector.reset();
      return;
    }
    const r = detector.key(e.key, e.timeStamp || performance.now());
    if (r.consume) {
      e.preventDefault();
      e.stopPropagation();
    }
    if (r.code !== undefined) onCode(r.code);
  };
  doc.addEventListener('keydown', handler, true);
  return () => doc.removeEventListener('keydown', handler, true);
}
