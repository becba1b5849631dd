// A distinct sound per verdict, made with WebAudio (no audio files): one high
// beep for green, two mid beeps for amber, three low buzzes for red, a short
// soft tick for a code that is not a check-in.

export type Cue = 'green' | 'amber' | 'red' | 'grey';

interface Tone {
  freq: number;
  ms: number;
  gapMs: number;
  type: OscillatorType;
  gain: number;
}

/** The tones of each cue (exported for tests). */
export const CUES: Record<Cue, Tone[]> = {
  green: [{ freq: 1320, ms: 140, gapMs: 0, type: 'sine', gain: 0.35 }],
  amber: [
    { freq: 660, ms: 150, gapMs: 90, type: 'triangle', gain: 0.45 },
    { freq: 660, ms: 150, gapMs: 0, type: 'triangle', gain: 0.45 },
  ],
  red: [
    { freq: 220, ms: 220, gapMs: 80, type: 'square', gain: 0.25 },
    { freq: 220, ms: 220, gapMs: 80, type: 'square', gain: 0.25 },
    { freq: 220, ms: 320, gapMs: 0, type: 'square', gain: 0.25 },
  ],
  grey: [{ freq: 440, ms: 70, gapMs: 0, type: 'sine', gain: 0.2 }],
};

let ctx: AudioContext | null = null;

/** Plays a cue; silently does nothing where WebAudio is missing or blocked. */
export function playCue(cue: Cue): void {
  try {
    const AC = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
    if (!AC) return;
    ctx ??= new AC();
    if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
    let t = ctx.currentTime + 0.01;
    for (const tone of CUES[cue]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = tone.type;
      osc.frequency.value = tone.freq;
      const end = t + tone.ms / 1000;
      gain.gain.setValueAtTime(0, t);
      gain.gain.linearRampToValueAtTime(tone.gain, t + 0.01);
      gain.gain.setValueAtTime(tone.gain, end - 0.02);
      gain.gain.linearRampToValueAtTime(0, end);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(end + 0.01);
      t = end + tone.gapMs / 1000;
    }
  } catch {
    // Sound is a help, never a reason to fail a scan.
  }
}
