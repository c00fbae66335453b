// From the access flags to what createApp needs: the sign-in (auth file read and checked before
// anything starts), the allowed host names and the public URL; sign-ins and refusals to the log.
import type { Logger } from 'pino';
import { ApiTokens, auditSignOn, defaultAllowedHosts, loadAuthFile, SignOn, type AppDependencies } from '@wardwatch/server';
import type { ApiTokenStore, AuditStore } from '@wardwatch/store';
import { isLoopback, type AccessArgs } from './access-options.ts';

/** `audit` is read when an event happens (the store opens after the auth file is checked). */
export function httpAccess(host: string, access: Partial<AccessArgs>, log: Logger, audit?: () => AuditStore): Pick<AppDependencies, 'signOn' | 'allowedHosts' | 'publicUrl' | 'logError' | 'logRejections'> {
  const onAuditError = (error: unknown) => log.error({ err: error }, 'audit trail: could not record a sign-in event');
  const config = access.authConfig ? loadAuthFile(access.authConfig) : undefined;
  const signOn = config
    ? new SignOn({
        config,
        secure: access.publicUrl ? access.publicUrl.startsWith('https:') : undefined,
        onEvent: (event) => {
          log.info({ auth: event }, `auth: ${event.event}${event.name ? ` ${event.name}` : ''}`);
          if (audit) auditSignOn(audit(), onAuditError)(event);
        },
        onError: (error, context) => log.warn({ err: error, context }, 'sign-in step failed'),
      })
    : undefined;
  if (signOn) log.info({ issuer: config!.issuer, clientId: config!.clientId }, 'sign-in with OpenID Connect');
  else if (!isLoopback(host)) log.warn({ host }, 'no sign-in on a network address (--no-auth-on-network): anyone who can reach this server reads everything and can silence alerts');
  return {
    signOn,
    allowedHosts: defaultAllowedHosts(host, access.allowedHosts ?? []),
    publicUrl: access.publicUrl,
    logError: (error, context) => log.error({ err: error, ...context }, 'request failed'),
    // The dead letters' reasons where an operator looks first: a line per reason a minute at most.
    logRejections: ({ reason, count, example, from, to }) =>
      log.warn(
        { reason, count, example, from: new Date(from).toISOString(), to: new Date(to).toISOString() },
        count === 1 && from === to ? `ingest refused an event (${reason}): ${example}` : `ingest refused ${count} more events (${reason}) since ${new Date(from).toISOString()}; the first: ${example}`,
      ),
  };
}

/** API tokens go with sign-in: without it every caller is the local administrator anyway. */
export function apiTokensFor(access: Pick<AppDependencies, 'signOn'>, store: ApiTokenStore): Pick<AppDependencies, 'apiTokens'> {
  return access.signOn ? { apiTokens: new ApiTokens(store) } : {};
}
