// Just enough of XLSX to check a downloaded report: the zip's central
// directory, inflate (node:zlib), the shared strings and the first sheet's
// cells by reference ("C3" -> "Xã Trung Xuân", "E3" -> 11).
import { inflateRawSync } from 'node:zlib';

/** The files of a zip archive by name. */
export function unzip(buf: Buffer): Map<string, Buffer> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_, e: string) =>
    e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : e === 'amp' ? '&' : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))),
  );

/** The text of every <t> inside `xml`, joined (rich-text runs included). */
const texts = (xml: string) => [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => unescapeXml(m[1])).join('');

/** A sheet's cells (the first by default; the weekly report has one per section): strings as text, numbers as numbers. */
export function readSheet(xlsx: Buffer, sheetNo = 1): Map<string, string | number> {
  const files = unzip(xlsx);
  const shared = [...(files.get('xl/sharedStrings.xml')?.toString('utf8') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => texts(m[1]));
  const sheet = files.get(`xl/worksheets/sheet${sheetNo}.xml`)?.toString('utf8');
  if (!sheet) throw new Error(`no sheet ${sheetNo} among ${[...files.keys()].join(', ')}`);
  const cells = new Map<string, string | number>();
  for (const m of sheet.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const [, ref, attrs, body = ''] = m;
    const type = /\st="([^"]+)"/.exec(attrs)?.[1];
    const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
    if (type === 's' && v !== undefined) cells.set(ref, shared[Number(v)]);
    else if (type === 'inlineStr') cells.set(ref, texts(body));
    else if (type === 'str') cells.set(ref, unescapeXml(v ?? ''));
    else if (v !== undefined) cells.set(ref, Number(v));
  }
  return cells;
}
