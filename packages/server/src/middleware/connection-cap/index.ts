// Caps on long-lived responses (the live stream): at most `total` open at once, and at most
// `perCaller` for one signed-in user. A connection past a cap is
// refused with 503 and Retry-After before any work is done for it, so the ones already open keep
// their updates. A slot is freed when the stream ends or the client goes away.
import type { Context, MiddlewareHandler } from 'hono';
import type { Principal } from '../../auth/claims.ts';

export interface ConnectionCapOptions {
  total: number;
  perCaller: number;
  onRefused?: (why: 'total' | 'caller') => void;
}

export const DEFAULT_STREAM_CAPS = { total: 1000, perCaller: 20 } as const;

export interface ConnectionCap extends MiddlewareHandler {
  /** Connections open now. */
  open(): number;
}

/** The signed-in user; none without sign-in (the local administrator: one person, the total cap only). */
function callerOf(c: Context): string | undefined {
  const principal = c.get('principal') as Principal | undefined;
  return principal && principal.sub !== 'local' ? `user:${principal.sub}` : undefined;
}

export function connectionCap(options: ConnectionCapOptions): ConnectionCap {
  let open = 0;
  const byCaller = new Map<string, number>();
  const handler = (async (c, next) => {
    const caller = callerOf(c) ?? '';
    const mine = caller ? (byCaller.get(caller) ?? 0) : 0;
    if (open >= options.total || mine >= options.perCaller) {
      const why = open >= options.total ? 'total' : 'caller';
      options.onRefused?.(why);
      c.header('Retry-After', '30');
      return c.json({ error: why === 'total' ? 'the server has as many live streams open as it serves; try again shortly' : `you have ${mine} live streams open already; close one (another tab?) first` }, 503);
    }
    open++;
    if (caller) byCaller.set(caller, mine + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      open--;
      if (!caller) return;
      const left = (byCaller.get(caller) ?? 1) - 1;
      if (left > 0) byCaller.set(caller, left);
      else byCaller.delete(caller);
    };
    c.req.raw.signal.addEventListener('abort', release, { once: true });
    try {
      await next();
    } catch (error) {
      release();
      throw error;
    }
    const body = c.res.body;
    if (!body || c.res.status >= 400) {
      release();
      return;
    }
    // Free the slot when the body ends or is cancelled (the client went away).
    const reader = body.getReader();
    const watched = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            release();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          release();
          controller.error(error);
        }
      },
      cancel(reason) {
        release();
        return reader.cancel(reason);
      },
    });
    c.res = new Response(watched, { status: c.res.status, headers: c.res.headers });
  }) as ConnectionCap;
  handler.open = () => open;
  return handler;
}
