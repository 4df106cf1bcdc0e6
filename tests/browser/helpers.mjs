// Shared set-up for the browser tests: a sinmun server on a free loopback
// port with a fresh demo database (optionally with newsroom accounts made
// before it starts), and Debian's chromium through playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Adds a newsroom account to the database at db the way an admin does:
// `sinmun user add` with the password on standard input.
export function addUser(bin, db, { email, name, role, password }) {
  execFileSync(bin, ['user', 'add', '--db', db, '--email', email, '--name', name, '--role', role],
    { input: `${password}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
}

// options.users: accounts ({ email, name, role, password }) to create in the
// demo database before the server starts.
export async function startServer(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sinmun-browser-'));
  const port = await freePort();
  const bin = process.env.SINMUN_BIN || 'build/sinmun';
  const users = options.users || [];
  if (users.length) {
    try {
      execFileSync(bin, ['init', '--db', join(dir, 'demo.db'), '--demo'], { stdio: ['ignore', 'ignore', 'pipe'] });
      for (const u of users) addUser(bin, join(dir, 'demo.db'), u);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`setting up accounts failed: ${e.stderr || e.message}`);
    }
  }
  const proc = spawn(bin, ['serve', '--demo', '--db', join(dir, 'demo.db'),
    '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (proc.exitCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`server exited: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
