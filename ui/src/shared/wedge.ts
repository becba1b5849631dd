// USB "keyboard wedge" scanners type a code as fast keystrokes ended by Enter.
// The detector tells such bursts from people typing by the time between keys;
// it is fed timestamps, so tests need no clock.

export interface WedgeOptions {
  /** Longest pause between two keys of one scan (scanners: 1-20 ms; people: 80+ ms). */
  maxGapMs?: number;
  /** Shortest code accepted (shorter bursts are ignored). */
  minLength?: number;
}

export interface WedgeResult {
  /** The key belongs to a scan in progress: the caller should stop its default action. */
  consume: boolean;
  /** A complete code, when this key was the Enter that ended it. */
  code?: string;
}

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock', 'NumLock']);

export class WedgeDetector {
  private buf = '';
  private last = Number.NEGATIVE_INFINITY;
  private readonly maxGap: number;
  private readonly minLength: number;

  constructor(opts: WedgeOptions = {}) {
    this.maxGap = opts.maxGapMs ?? 50;
    this.minLength = opts.minLength ?? 6;
  }

  /** Feeds one keydown (`key` as in KeyboardEvent.key) at time `t` (ms). */
  key(key: string, t: number): WedgeResult {
    if (MODIFIERS.has(key)) return { consume: false };
    const gap = t - this.last;
    if (key === 'Enter') {
      const code = this.buf;
      const fast = gap <= this.maxGap * 2;
      this.reset();
      if (fast && code.length >= this.minLength) return { consume: true, code };
      return { consume: false };
    }
    if ([...key].length !== 1) {
      // Tab, arrows, Backspace…: a person is at the keyboard.
      this.reset();
      return { consume: false };
    }
    this.last = t;
    if (gap > this.maxGap || this.buf === '') {
      this.buf = key;
      return { consume: false };
    }
    this.buf += key;
    return { consume: true };
  }

  reset(): void {
    this.buf = '';
    this.last = Number.NEGATIVE_INFINITY;
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
