import { describe, expect, it } from 'vitest';
import { AgentConfigError, loadAgentConfig, parseAgentConfig, parseBytes, parseDuration } from './config.ts';

const example = new URL('../../../deploy/agent/agent.example.yaml', import.meta.url).pathname;
const minimal = `
identity: { trust: RXX, site: RXX01, ward: W01, device: D1 }
delivery: { http: { url: "http://localhost:8080/api/ingest", token: t } }
`;

describe('agent configuration', () => {
  it('accepts the shipped example, resolving its relative paths against the file', () => {
    const config = loadAgentConfig(example);
    expect(config.identity).toMatchObject({ trust: 'RXX', site: 'RXX01', ward: 'W01' });
    expect(config.delivery.http?.url).toBe('http://localhost:8080/api/ingest');
    expect(config.spool.dir).toBe(new URL('../../../deploy/agent/wardwatch-agent-data', import.meta.url).pathname);
    expect(config.checks[0]).toMatchObject({ app: 'wardwatch', interval: 60_000, timeout: 10_000 });
    expect(config.collect.health.interval).toBe(300_000);
  });

  it('fills sensible defaults: a minute cadence, a 64 MiB / 7 day spool, the host name as device', () => {
    const config = parseAgentConfig(minimal.replace(', device: D1', ''));
    expect(config.identity.device.length).toBeGreaterThan(0);
    expect(config.spool.maxBytes).toBe(64 * 1024 * 1024);
    expect(config.spool.maxAge).toBe(7 * 86_400_000);
    expect(config.collect.wifi.interval).toBe(60_000);
    expect(config.delivery.flushInterval).toBe(15_000);
    expect(config.marks).toEqual({ port: 47600, expireAfter: 600_000 });
  });

  it.each<[string, string, RegExp]>([
    ['a missing site', minimal.replace('site: RXX01, ', ''), /identity\.site: .*; missing/],
    ['a bad identifier', minimal.replace('ward: W01', 'ward: "W 01"'), /identity\.ward: may hold only letters, digits .*; got "W 01"/],
    ['a misspelt field', `${minimal}\nchecsk: []\n`, /\(top level\): unknown field "checsk"; check the spelling/],
    ['a bad duration', `${minimal}\nchecks: [{ app: epr, url: "https://epr.example/", interval: "soon" }]\n`, /checks\[0\]\.interval: must be a duration like "30s"/],
    ['a bad URL', minimal.replace('http://localhost:8080/api/ingest', 'ftp://x'), /delivery\.http\.url: must be an http:\/\/ or https:\/\/ URL; got "ftp:\/\/x"/],
    ['no destination', minimal.replace('delivery: { http: { url: "http://localhost:8080/api/ingest", token: t } }', 'delivery: {}'), /delivery: set exactly one of delivery\.http or delivery\.kafka/],
    ['a tiny spool', `${minimal}\nspool: { maxBytes: 10KiB }\n`, /spool\.maxBytes: must be a size of at least 1048576 bytes/],
    ['broken YAML', 'identity: [', /YAML: /],
  ])('refuses %s, naming the field', (_name, text, problem) => {
    let error: unknown;
    try {
      parseAgentConfig(text, { source: 'agent.yaml' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AgentConfigError);
    expect((error as AgentConfigError).message).toMatch(/^agent\.yaml: invalid agent configuration/);
    expect((error as AgentConfigError).problems.join('\n')).toMatch(problem);
  });

  it('tells HTTP, TCP and DNS checks apart by their fields', () => {
    const config = parseAgentConfig(`${minimal}
checks:
  - { app: epr, url: "https://epr.example.nhs.uk/" }
  - { app: pacs, tcp: "pacs.example.nhs.uk:443", interval: 30s }
  - { dns: epr.example.nhs.uk, servers: [10.0.0.53] }
`);
    expect(config.checks).toEqual([
      expect.objectContaining({ app: 'epr', url: 'https://epr.example.nhs.uk/', method: 'GET', interval: 60_000 }),
      expect.objectContaining({ app: 'pacs', tcp: 'pacs.example.nhs.uk:443', interval: 30_000 }),
      expect.objectContaining({ dns: 'epr.example.nhs.uk', target: 'dns', servers: ['10.0.0.53'], timeout: 10_000 }),
    ]);
    expect(() => parseAgentConfig(`${minimal}\nchecks: [{ dns: epr.example, interval: 1y }]\n`)).toThrow(/checks\[0\]\.interval: must be a duration/);
  });

  it.each<[string, number | undefined]>([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1.5h', 5_400_000],
    ['7d', 604_800_000],
    ['5 minutes', undefined],
  ])('duration %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each<[string, number | undefined]>([
    ['64MiB', 67_108_864],
    ['1GiB', 1_073_741_824],
    ['500KB', 500_000],
    ['2048', 2048],
    ['lots', undefined],
  ])('size %s', (text, bytes) => expect(parseBytes(text)).toBe(bytes));
});
