import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './args.ts';

describe('parseCommandLine', () => {
  it('gives start its defaults', () => {
    expect(parseCommandLine(['start'], {})).toMatchObject({ command: 'start', demo: true, port: 8080, speed: 1, scenario: 'site-wan-congested', storeUrl: 'sqlite:.data/wardwatch.db' });
  });

  it.each([
    [['start', '--no-demo'], { demo: false }],
    [['start', '--scenario', 'none'], { scenario: undefined }],
    [['processor', '--kafka-brokers', 'a:1,b:2', '--partitions', '24'], { command: 'processor', brokers: ['a:1', 'b:2'], partitions: 24, port: 9464 }],
    [['server'], { command: 'server', port: 8080, brokers: ['127.0.0.1:19092'], topicPrefix: 'wardwatch' }],
    [['simulate', '--kafka', '--minutes', '5', '--from', '2026-11-24T09:00:00Z'], { command: 'simulate', minutes: 5, from: Date.UTC(2026, 10, 24, 9) }],
  ])('%j', (argv, expected) => {
    expect(parseCommandLine(argv, {})).toMatchObject(expected);
  });

  it('reads the environment when flags are absent', () => {
    expect(parseCommandLine(['server'], { KAFKA_BROKERS: 'k:9092', PORT: '9000', WARDWATCH_STORE: 'postgres://db/x' })).toMatchObject({
      brokers: ['k:9092'], port: 9000, storeUrl: 'postgres://db/x',
    });
  });

  it.each([
    [['simulate'], /add --kafka/],
    [['processor', '--kafka-brokers', 'nohost'], /not host:port/],
    [['server', '--store', 'redis://x'], /--store must be/],
    [['simulate', '--kafka', '--from', 'yesterday'], /--from must be an ISO time/],
    [['server', '--log-level', 'loud'], /--log-level must be one of/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommandLine(argv, {})).toThrow(message);
  });
});
