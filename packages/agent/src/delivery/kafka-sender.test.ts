// What a failed produce means for a batch: a table over the errors the transport raises.
import { TransportError, type OutgoingRecord, type Producer } from '@wardwatch/transport';
import { describe, expect, it } from 'vitest';
import { KafkaSender, produceFailure } from './kafka-sender.ts';
import { netEvent } from './testdata/events.ts';

describe('KafkaSender', () => {
  it('stamps every record with wardwatch-sent-at by the device\'s clock', async () => {
    const sent: OutgoingRecord[] = [];
    const producer: Producer = { send: async (_topic, records) => void sent.push(...records), close: async () => {} };
    const now = Date.UTC(2026, 10, 30, 9, 5, 0);
    const sender = new KafkaSender({ producer, topic: 't', clock: () => now });
    await sender.send([netEvent(0, now), netEvent(1, now)]);
    expect(sent.map((r) => r.headers)).toEqual([{ 'wardwatch-sent-at': String(now) }, { 'wardwatch-sent-at': String(now) }]);
  });
});

describe('produceFailure', () => {
  // By the error's kind and retriable flag (the transport classifies kafkajs' errors by type), never by
  // its message: the messages below would mislead a reader of text.
  it.each<[string, unknown, Record<string, unknown>]>([
    ['an unreachable broker', new TransportError('connect ECONNREFUSED 127.0.0.1:19092', true), { kind: 'retryable' }],
    ['a plain error', new Error('socket hang up'), { kind: 'retryable' }],
    ['a plain error whose text says too large', new Error('Message too large'), { kind: 'retryable' }],
    ['refused credentials', new TransportError('SASL authentication failed', false, { kind: 'unauthorized' }), { kind: 'fatal', reason: 'auth' }],
    ['a missing ACL', new TransportError('TOPIC_AUTHORIZATION_FAILED', false, { kind: 'unauthorized' }), { kind: 'fatal', reason: 'auth' }],
    ['a misconfigured topic', new TransportError('topic has 1 partition, expected 12', false), { kind: 'fatal', reason: 'config' }],
    ['a refusal whose text names authorization but is classed otherwise', new TransportError('not authorized? no: misconfigured', false, { kind: 'misconfigured' }), { kind: 'fatal', reason: 'config' }],
    ['records too large', new TransportError('broker said no', false, { kind: 'too-large' }), { kind: 'too-large' }],
    ['a retriable error whose text says too large', new TransportError('Message too large', true), { kind: 'retryable' }],
  ])('%s', (_name, error, outcome) => {
    const result = produceFailure('wardwatch.telemetry.v1', error);
    expect(result).toMatchObject(outcome);
    expect((result as { error: string }).error).toMatch(/^produce to wardwatch\.telemetry\.v1 failed: /);
  });
});
