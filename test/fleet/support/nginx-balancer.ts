import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../example/support/example-process.js';

/**
 * A real nginx (Debian's package) as a plain round-robin load balancer with no affinity in
 * front of several instances, configured as the README's "Running several instances" says:
 * no response buffering, HTTP/1.1 upstream with the Upgrade passed through, read timeouts
 * above the SSE keep-alive and the poll timeout. Started in the foreground from a generated
 * config in a temp dir; `stop` kills it and removes the dir.
 */
export class NginxBalancer {
  output = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
  ) {
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (this.output += chunk));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/mcp`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/mcp`;
  }

  static async start(upstreamPorts: readonly number[]): Promise<NginxBalancer> {
    const dir = mkdtempSync(join(tmpdir(), 'nest-mcp-nginx-'));
    // nginx's workers run as an unprivileged user when started as root: they must reach the dir.
    chmodSync(dir, 0o755);
    const port = await freePort();
    const config = join(dir, 'nginx.conf');
    writeFileSync(config, nginxConfig(dir, port, upstreamPorts));
    const child = spawn('nginx', ['-c', config, '-p', dir, '-e', join(dir, 'error.log')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const balancer = new NginxBalancer(child, dir, port);
    await balancer.waitListening();
    return balancer;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      // SIGTERM is nginx's fast shutdown; the workers go with the master.
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async waitListening(): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await canConnect(this.port))) {
      if (this.child.exitCode !== null)
        throw new Error(`nginx exited with ${this.child.exitCode}: ${this.output}`);
      if (Date.now() > deadline) throw new Error(`nginx not listening: ${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function nginxConfig(dir: string, port: number, upstreamPorts: readonly number[]): string {
  return `daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'client-body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  # Upgrade for WebSocket; an empty Connection otherwise, so upstream connections are reused.
  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
  upstream mcp {
${upstreamPorts.map((upstream) => `    server 127.0.0.1:${upstream};`).join('\n')}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://mcp;
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 3600s;
      proxy_send_timeout 3600s;
      client_max_body_size 8m;
    }
  }
}
`;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
