// Test helper: a real HTTP ingest receiver on 127.0.0.1 that records every event it is sent. By
// default it answers 202 like the server; `respond` overrides the answer per request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  authorization: string | undefined;
  /** The Wardwatch-Sent-At header: the device's clock when it sent the request. */
  sentAt: string | undefined;
  events: Array<Record<string, unknown>>;
  bytes: number;
}

export type Responder = (request: ReceivedRequest, res: ServerResponse, req: IncomingMessage) => void | Promise<void>;

export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  /** Events of the requests that were answered 2xx (or held by a custom responder that records them). */
  readonly received: Array<Record<string, unknown>> = [];
  respond: Responder | undefined;
  private server: Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/api/ingest`;
  }

  async start(port = 0): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Stops listening and drops every connection: clients get ECONNREFUSED until start() again. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const request: ReceivedRequest = {
      authorization: req.headers.authorization,
      sentAt: req.headers['wardwatch-sent-at'] as string | undefined,
      events: JSON.parse(body.toString('utf8')) as Array<Record<string, unknown>>,
      bytes: body.length,
    };
    this.requests.push(request);
    if (this.respond) {
      await this.respond(request, res, req);
      return;
    }
    this.received.push(...request.events);
    reply(res, 202, { accepted: request.events.length, rejected: 0, rejections: [] });
  }
}

export function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}
