// Binds the application to a port and closes it cleanly (open SSE streams included).
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function listen(app: Hono, options: { port: number; host?: string }): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    let server: ServerType;
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${options.port} on ${host} is already in use: choose another with --port or PORT`)
          : error,
      );
    };
    server = serve({ fetch: app.fetch, port: options.port, hostname: host }, (info) => {
      server.off('error', onError);
      // Idle keep-alive connections are left for the client (or a proxy in front, ~60 s) to close: a
      // server that closes them itself at 5 s races a request arriving on the same socket, and a busy
      // event loop loses that race ("other side closed" at the client).
      const http = server as import('node:http').Server;
      http.keepAliveTimeout = 65_000;
      http.headersTimeout = 66_000;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            const http = server as import('node:http').Server;
            http.close(() => done());
            http.closeAllConnections?.();
          }),
      });
    });
    server.once('error', onError);
  });
}
