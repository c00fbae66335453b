// The loopback mark API: POST /mark {"name":"epr-login","phase":"start"|"end","at"?:epoch ms,"user"?}
// and GET /status (what the agent is doing). Bound to 127.0.0.1 only: login scripts on this machine
// call it; nothing else can.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MarkError, type MarkPhase } from './marks.ts';

export interface MarkHandler {
  mark(name: string, phase: MarkPhase, at: number, user?: string): { durationMs?: number };
  status(): unknown;
}

async function readBody(req: IncomingMessage, limit = 4096): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new MarkError('body too large', 400);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startMarkServer(handler: MarkHandler, port: number, now: () => number = Date.now): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    void (async () => {
      try {
        if (req.method === 'GET' && req.url === '/status') return reply(200, handler.status());
        if (req.method !== 'POST' || req.url !== '/mark') return reply(404, { error: 'POST /mark or GET /status' });
        let body: { name?: unknown; phase?: unknown; at?: unknown; user?: unknown };
        try {
          body = JSON.parse(await readBody(req));
        } catch (error) {
          if (error instanceof MarkError) throw error;
          throw new MarkError('body must be JSON: {"name": "epr-login", "phase": "start" | "end"}', 400);
        }
        if (typeof body.name !== 'string') throw new MarkError('"name" must be a string', 400);
        if (body.phase !== 'start' && body.phase !== 'end') throw new MarkError('"phase" must be "start" or "end"', 400);
        if (body.at !== undefined && (typeof body.at !== 'number' || !Number.isFinite(body.at))) throw new MarkError('"at" must be epoch milliseconds', 400);
        if (body.user !== undefined && typeof body.user !== 'string') throw new MarkError('"user" must be a string', 400);
        const result = handler.mark(body.name, body.phase, (body.at as number | undefined) ?? now(), body.user as string | undefined);
        return reply(200, { ok: true, ...result });
      } catch (error) {
        if (error instanceof MarkError) return reply(error.status, { error: error.message });
        return reply(500, { error: (error as Error).message });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
