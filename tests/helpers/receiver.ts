// A local HTTP receiver on 127.0.0.1 that records every JSON body posted to it (webhooks, notifiers):
// what was actually delivered, for the tests to read.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received<T> {
  path: string;
  body: T;
}

export interface JsonReceiver<T> {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  received: Array<Received<T>>;
  /** The bodies received so far, in order. */
  bodies(): T[];
  close(): Promise<void>;
}

export async function startJsonReceiver<T>(): Promise<JsonReceiver<T>> {
  const received: Array<Received<T>> = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ path: request.url ?? '', body: JSON.parse(body) as T });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    bodies: () => received.map((r) => r.body),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
