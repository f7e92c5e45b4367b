/**
 * Run one command as a measured child process: wall time (hrtime in this process, from spawn to
 * exit) and peak RSS (GNU time's %M: the child's ru_maxrss, which covers its waited-for
 * descendants too, e.g. a Go binary started by a wrapper).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TIME = '/usr/bin/time';
const scratch = mkdtempSync(join(tmpdir(), 'godwit-bench-time-'));
let seq = 0;
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/**
 * @param {string[]} argv command and arguments
 * @param {{ env?: Record<string,string>, cwd?: string, input?: string, timeoutMs?: number }} [o]
 * @returns {Promise<{ ms: number, rssKb: number, code: number|null, signal: string|null, stdout: string, stderr: string }>}
 */
export function measure(argv, o = {}) {
  const out = join(scratch, `t${seq++}`);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(TIME, ['-f', '%M', '-o', out, ...argv], {
      cwd: o.cwd,
      env: { ...process.env, ...(o.env ?? {}) },
      stdio: [o.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (o.input !== undefined) child.stdin.end(o.input);
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 600_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let rssKb = NaN;
      try {
        const lines = readFileSync(out, 'utf8').trim().split('\n');
        rssKb = Number(lines[lines.length - 1]);
        // GNU time prints "Command exited with non-zero status N" first; the code comes from close.
      } catch {
        /* killed before time wrote */
      }
      rmSync(out, { force: true });
      resolve({ ms, rssKb, code, signal, stdout, stderr });
    });
  });
}

/** Run a command (not measured); reject on a non-zero exit with its output. */
export function run(argv, o = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: o.cwd, env: { ...process.env, ...(o.env ?? {}) }, stdio: [o.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (o.input !== undefined) child.stdin.end(o.input);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 || o.allowFail) resolve({ code, stdout, stderr });
      else reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr.slice(0, 2000)}${stdout.slice(0, 500)}`));
    });
  });
}

/**
 * Start every command, hold each at a barrier (a FIFO each shell reads one line from before it
 * `exec`s the command), then release them all at the same instant. Times run from the release to
 * the last exit.
 * @param {string[][]} argvs
 * @returns {Promise<{ ms: number, results: { code: number|null, signal: string|null, ms: number, rssKb: number, stdout: string, stderr: string }[] }>}
 */
export async function measureConcurrent(argvs, o = {}) {
  const { execFileSync } = await import('node:child_process');
  const { openSync, writeSync, closeSync } = await import('node:fs');
  const fifo = join(scratch, `fifo${seq++}`);
  execFileSync('mkfifo', [fifo]);
  let released = 0n;
  const children = argvs.map((argv, i) => {
    const out = join(scratch, `c${seq}-${i}`);
    const child = spawn('sh', ['-c', 'f="$0"; o="$1"; shift; read _ < "$f"; exec /usr/bin/time -f %M -o "$o" "$@"', fifo, out, ...argv], {
      cwd: o.cwd,
      env: { ...process.env, ...(o.env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const r = { code: null, signal: null, ms: NaN, rssKb: NaN, stdout: '', stderr: '' };
    child.stdout.on('data', (d) => (r.stdout += d));
    child.stderr.on('data', (d) => (r.stderr += d));
    const done = new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 600_000);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        r.code = code;
        r.signal = signal;
        r.ms = Number(process.hrtime.bigint() - released) / 1e6;
        try {
          const lines = readFileSync(out, 'utf8').trim().split('\n');
          r.rssKb = Number(lines[lines.length - 1]);
        } catch {
          /* killed */
        }
        rmSync(out, { force: true });
        resolve(r);
      });
    });
    return done;
  });
  await new Promise((r) => setTimeout(r, 800 + 10 * argvs.length));
  released = process.hrtime.bigint();
  const fd = openSync(fifo, 'w');
  writeSync(fd, '\n'.repeat(argvs.length));
  setTimeout(() => closeSync(fd), 3000);
  const results = await Promise.all(children);
  rmSync(fifo, { force: true });
  return { ms: Math.max(...results.map((r) => r.ms)), results };
}
