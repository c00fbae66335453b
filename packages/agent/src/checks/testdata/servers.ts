// Test-only helpers for the synthetic-check tests: real servers on 127.0.0.1 ephemeral ports, a
// throwaway self-signed certificate made with the openssl CLI at test time, injectable lookups, a
// listener whose accept queue is full (for a deterministic connect timeout on loopback) and a
// minimal DNS server over UDP.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Running {
  port: number;
  /** Connections the server accepted. */
  connections: () => number;
  close: () => Promise<void>;
}

async function listen(server: http.Server | https.Server): Promise<Running> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function startHttp(handler: http.RequestListener): Promise<Running> {
  return listen(http.createServer(handler));
}

export function startHttps(cert: Cert, handler: http.RequestListener): Promise<Running> {
  return listen(https.createServer({ key: cert.key, cert: cert.cert }, handler));
}

/** A port on 127.0.0.1 that nothing listens on (it was bound a moment ago, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Cert {
  key: string;
  cert: string;
}

/**
 * A throwaway self-signed certificate for localhost and 127.0.0.1, valid one day, generated with
 * the openssl CLI into a temporary directory that is removed at once.
 */
export function makeSelfSignedCert(): Cert {
  const dir = mkdtempSync(join(tmpdir(), 'wardwatch-checks-cert-'));
  try {
    const key = join(dir, 'k.pem');
    const cert = join(dir, 'c.pem');
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
        '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A lookup that answers `address` for any name, after `delayMs`, recording the names asked. */
export function lookupTo(address: string, delayMs = 0, asked: string[] = []): net.LookupFunction {
  return (hostname, options, callback) => {
    asked.push(hostname);
    const family = net.isIPv6(address) ? 6 : 4;
    setTimeout(() => {
      // Node asks for every address (all: true) when it may try several families in turn.
      if (options.all) callback(null, [{ address, family }]);
      else callback(null, address, family);
    }, delayMs);
  };
}

/** A lookup that fails the way getaddrinfo does for an unknown name. */
export function failingLookup(code = 'ENOTFOUND'): net.LookupFunction {
  return (hostname, _options, callback) => {
    const error = Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, syscall: 'getaddrinfo', hostname });
    setImmediate(() => callback(error, ''));
  };
}

/** A lookup that never answers. */
export const hangingLookup: net.LookupFunction = () => {};

export interface StalledListener {
  port: number;
  close: () => void;
}

/**
 * A port on 127.0.0.1 where a TCP connect neither succeeds nor fails for a while: a listener in
 * a child process (backlog 1) is stopped with SIGSTOP, then connections are opened until the
 * kernel's accept queue is full and it starts dropping SYNs. Deterministic on loopback, unlike a
 * "non-routable" address, which a sandbox or proxy may answer.
 */
export async function stalledListener(): Promise<StalledListener> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['-e', "require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () { console.log(this.address().port) })"],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', (data: Buffer) => resolve(Number(String(data).trim())));
  });
  process.kill(child.pid!, 'SIGSTOP');
  const fillers: net.Socket[] = [];
  const close = () => {
    for (const socket of fillers) socket.destroy();
    child.kill('SIGKILL');
  };
  for (let i = 0; i < 32; i += 1) {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      setTimeout(() => resolve(false), 300);
    });
    if (!connected) return { port, close };
  }
  close();
  throw new Error('could not fill the accept queue of the stopped listener');
}

export interface DnsServer {
  port: number;
  queries: () => number;
  close: () => Promise<void>;
}

/**
 * A minimal DNS server on 127.0.0.1/UDP: answers every A query with `answer` (an IPv4 address),
 * answers NXDOMAIN when `answer` is 'nxdomain', or never answers when it is 'silent'.
 */
export async function startDns(answer: string | 'nxdomain' | 'silent'): Promise<DnsServer> {
  const socket = dgram.createSocket('udp4');
  let queries = 0;
  socket.on('message', (query, peer) => {
    queries += 1;
    if (answer === 'silent' || query.length < 12) return;
    // The question runs from byte 12 to the end of QNAME plus QTYPE and QCLASS.
    let end = 12;
    while (end < query.length && query[end] !== 0) end += query[end] + 1;
    end += 5;
    const question = query.subarray(12, end);
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // same id
    if (answer === 'nxdomain') {
      header.writeUInt16BE(0x8183, 2); // response, recursion desired+available, NXDOMAIN
      header.writeUInt16BE(1, 4);
      socket.send(Buffer.concat([header, question]), peer.port, peer.address);
      return;
    }
    header.writeUInt16BE(0x8180, 2); // response, recursion desired+available, no error
    header.writeUInt16BE(1, 4); // one question
    header.writeUInt16BE(1, 6); // one answer
    const record = Buffer.alloc(16);
    record.writeUInt16BE(0xc00c, 0); // name: pointer to the question's name
    record.writeUInt16BE(1, 2); // type A
    record.writeUInt16BE(1, 4); // class IN
    record.writeUInt32BE(60, 6); // TTL
    record.writeUInt16BE(4, 10); // RDLENGTH
    answer.split('.').forEach((octet, i) => record.writeUInt8(Number(octet), 12 + i));
    socket.send(Buffer.concat([header, question, record]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    queries: () => queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
