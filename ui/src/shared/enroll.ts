// Enrollment codes as scanned or pasted: "CKE1:<token>@<url>", "CKE1:<token>",
// or the bare token (then sent as "CKE1:<token>" with the typed server URL).

export interface EnrollCode {
  /** The code to send (always with the CKE1: prefix). */
  code: string;
  token: string;
  /** The server address the code carries, if any. */
  url: string | null;
}

/** Reads an enrollment code; null when the text cannot be one. */
export function parseEnrollCode(text: string): EnrollCode | null {
  const s = text.trim();
  if (!s) return null;
  const m = /^CKE1:([^@\s]+)(?:@(\S+))?$/i.exec(s);
  if (m) return { code: s.replace(/^cke1:/i, 'CKE1:'), token: m[1], url: m[2] ?? null };
  // A bare token: letters, digits and the URL-safe base64 marks, no spaces.
  if (/^[A-Za-z0-9_\-.~]{8,}$/.test(s)) return { code: `CKE1:${s}`, token: s, url: null };
  return null;
}

/** True for an http(s) URL with a host. */
export function isServerUrl(s: string): boolean {
  try {
    const u = new URL(s.trim());
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}
