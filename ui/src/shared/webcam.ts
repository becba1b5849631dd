// The "webview" camera source: the page grabs frames with getUserMedia
// (~10 fps, at most 960 px wide), turns them into 8-bit luma and sends them
// to `camera_frame`; decoded codes come back as `station://scan` events.
import type { LumaFrame } from './backend';

/** Width and height scaled down so the width is at most `max`. */
export function fitWidth(w: number, h: number, max = 960): [number, number] {
  if (w <= max) return [w, h];
  return [max, Math.max(1, Math.round((h * max) / w))];
}

/** RGBA pixels -> luma (BT.601 weights, integer maths). */
export function rgbaToLuma(rgba: Uint8ClampedArray | Uint8Array, out?: Uint8Array): Uint8Array {
  const n = rgba.length >> 2;
  const y = out && out.length === n ? out : new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    y[i] = (rgba[j] * 77 + rgba[j + 1] * 150 + rgba[j + 2] * 29) >> 8;
  }
  return y;
}

export interface WebcamPump {
  stop(): void;
}

/**
 * Opens the camera into `video` and sends a frame every 1/fps s; a frame is
 * skipped while the previous one is still being sent. Rejects when the
 * camera cannot be opened.
 */
export async function startWebcam(
  video: HTMLVideoElement,
  send: (f: LumaFrame) => Promise<void>,
  fps = 10,
): Promise<WebcamPump> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'environment' },
    audio: false,
  });
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play().catch(() => undefined);
  const canvas = document.createElement('canvas');
  const g = canvas.getContext('2d', { willReadFrequently: true });
  let stopped = false;
  let busy = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let luma: Uint8Array | undefined;
  const grab = () => {
    if (stopped) return;
    timer = setTimeout(grab, 1000 / fps);
    if (busy || !g || video.videoWidth === 0) return;
    const [w, h] = fitWidth(video.videoWidth, video.videoHeight);
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    g.drawImage(video, 0, 0, w, h);
    luma = rgbaToLuma(g.getImageData(0, 0, w, h).data, luma);
    busy = true;
    // A copy: the buffer is reused for the next frame while IPC may still read it.
    send({ luma: luma.slice(), width: w, height: h })
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  };
  grab();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const tr of stream.getTracks()) tr.stop();
      video.srcObject = null;
    },
  };
}
