// The real checkin-server and station CLI for browser tests (dashboard and
// citizen page): the built binaries, run to completion or started on a free
// loopback port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const BIN_DIR = join(process.env.CARGO_TARGET_DIR ?? '/var/tmp/checkin-target', 'debug');
export const SERVER = join(BIN_DIR, 'checkin-server');
export const STATION = join(BIN_DIR, 'checkin');

/** Runs a binary to completion; its stdout, or an error with everything it said. */
export function run(bin: string, args: string[], input?: string): string {
  const r = spawnSync(bin, args, { input, encoding: 'utf8', env: { ...process.env, RUST_LOG: 'warn' }, timeout: 60_000 });
  if (r.status !== 0) {
    throw new Error(`${bin.split('/').pop()} ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}${r.error ?? ''}`);
  }
  return r.stdout;
}

/** Resolves with the server's base URL once it printed it and /healthz answers. */
export async function startServer(db: string, pages: string[], log: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(SERVER, ['serve', '--listen', '127.0.0.1:0', '--database', db, ...pages], {
    env: { ...process.env, RUST_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => log.push(s));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const fail = (why: string) => reject(new Error(`checkin-server serve: ${why}\n${out}${log.join('')}`));
    child.on('exit', (code) => fail(`exited ${code}`));
    child.on('error', (e) => fail(String(e)));
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1].replace(/\/$/, ''));
    });
  });
  // The condition, not a sleep: /healthz answers.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`${url}/healthz did not answer within 20 s`);
    await new Promise((r) => setImmediate(r));
  }
  return { child, url };
}

/** Stops the server and waits until it has exited. */
export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise<void>((ok) => {
    if (child.exitCode !== null) return ok();
    child.once('exit', () => ok());
    child.kill('SIGTERM');
  });
}
