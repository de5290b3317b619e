/**
 * Starts the real protocol peers for integration tests and the mount self-test: Hamlib's dummy rotctld and
 * indiserver with the INDI telescope simulator, each on a free loopback port, indiserver with its own temp HOME
 * (it keeps park state in $HOME/.indi) and its own -u socket. Callers must `stop()` what they start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Peer {
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, name: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before listening on ${port}`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not listen on ${port} within ${timeoutMs} ms`);
}

function stopper(child: ChildProcess, cleanup: () => void = () => {}): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        cleanup();
        return resolve();
      }
      child.once('exit', () => {
        cleanup();
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/** `rotctld -m 1 -T 127.0.0.1 -t PORT`: Hamlib's dummy az/el rotator. */
export async function startRotctld(): Promise<Peer> {
  const port = await freePort();
  const child = spawn('rotctld', ['-m', '1', '-T', '127.0.0.1', '-t', String(port)], { stdio: 'ignore' });
  await waitForPort(port, child, 'rotctld');
  return { port, process: child, stop: stopper(child) };
}

/** `indiserver -p PORT -u SOCKET indi_simulator_telescope` with a temp HOME. */
export async function startIndiTelescope(): Promise<Peer & { home: string }> {
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'satqkd-indi-'));
  const child = spawn('indiserver', ['-p', String(port), '-u', join(home, 'indi.sock'), 'indi_simulator_telescope'], {
    stdio: 'ignore',
    env: { ...process.env, HOME: home },
  });
  await waitForPort(port, child, 'indiserver');
  return { port, home, process: child, stop: stopper(child, () => rmSync(home, { recursive: true, force: true })) };
}
