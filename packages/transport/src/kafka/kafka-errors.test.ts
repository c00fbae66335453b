// kafkajs' errors, as its own classes build them, classified by type and retriable flag.
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { TransportError } from '../transport.ts';
import { classifyKafkaError, transportErrorOf, type KafkaFailure } from './kafka-errors.ts';

const { KafkaJSAggregateError, KafkaJSConnectionError, KafkaJSError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSRequestTimeoutError, KafkaJSSASLAuthenticationError } = kafkajs;

/** A broker's error code as kafkajs turns it into an error (src/protocol/error.js: type, code, retriable, message). */
const protocol = (type: string, code: number, retriable: boolean, message: string) => new KafkaJSProtocolError({ type, code, retriable, message } as unknown as Error);
const unknownTopic = () => protocol('UNKNOWN_TOPIC_OR_PARTITION', 3, true, 'This server does not host this topic-partition');
const tooLarge = () => protocol('MESSAGE_TOO_LARGE', 10, false, 'The request included a message larger than the max message size the server will accept');
const refused = () => new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:19092', { broker: '127.0.0.1:19092', code: 'ECONNREFUSED' } as never);
/** What kafkajs' retrier throws when it runs out of retries, and around a non-retriable error. */
const exhausted = (cause: Error) => new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 5, retryTime: 3000, cause } as never);
const notRetriable = (cause: Error) => new (KafkaJSNonRetriableError as unknown as new (e: Error, options: { cause: Error }) => Error)(cause, { cause });
/** kafkajs' typings leave out this constructor's message; its code takes one. */
const saslFailed = (message: string) => new (KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error)(message);

describe('classifyKafkaError', () => {
  it.each<[string, unknown, KafkaFailure]>([
    ['a topic not yet on this broker', unknownTopic(), { retriable: true, kind: 'unavailable', type: 'UNKNOWN_TOPIC_OR_PARTITION' }],
    ['the same after kafkajs gave up retrying it', exhausted(unknownTopic()), { retriable: true, kind: 'unavailable', type: 'UNKNOWN_TOPIC_OR_PARTITION' }],
    ['no leader during an election', protocol('LEADER_NOT_AVAILABLE', 5, true, 'There is no leader for this topic-partition as we are in the middle of a leadership election'), { retriable: true, kind: 'unavailable', type: 'LEADER_NOT_AVAILABLE' }],
    ['a refused connection', refused(), { retriable: true, kind: 'unavailable' }],
    ['a refused connection after kafkajs’ retries', exhausted(refused()), { retriable: true, kind: 'unavailable' }],
    ['a request timeout', new KafkaJSRequestTimeoutError('Request Metadata(key: 3, version: 6) timed out'), { retriable: true, kind: 'unavailable' }],
    ['a record too large', notRetriable(tooLarge()), { retriable: false, kind: 'too-large', type: 'MESSAGE_TOO_LARGE' }],
    ['a batch too large', protocol('RECORD_LIST_TOO_LARGE', 18, false, 'The request included message batch larger than the configured segment size on the server'), { retriable: false, kind: 'too-large', type: 'RECORD_LIST_TOO_LARGE' }],
    ['a missing topic ACL', notRetriable(protocol('TOPIC_AUTHORIZATION_FAILED', 29, false, 'Not authorized to access topics: [Topic authorization failed]')), { retriable: false, kind: 'unauthorized', type: 'TOPIC_AUTHORIZATION_FAILED' }],
    ['refused SASL credentials', saslFailed('SASL SCRAM SHA256 authentication failed'), { retriable: false, kind: 'unauthorized' }],
    ['an invalid partition count', protocol('INVALID_PARTITIONS', 37, false, 'Number of partitions is invalid'), { retriable: false, kind: 'misconfigured', type: 'INVALID_PARTITIONS' }],
    ['a non-retriable kafkajs error', new KafkaJSNonRetriableError('Invalid compression type'), { retriable: false, kind: 'misconfigured' }],
    ['a retriable kafkajs error', new KafkaJSError('Not connected'), { retriable: true, kind: 'unavailable' }],
    ['one failure per broker, all transient', new KafkaJSAggregateError('all failed', [refused(), refused()]), { retriable: true, kind: 'unavailable' }],
    ['one failure per broker, one refused', new KafkaJSAggregateError('all failed', [refused(), saslFailed('bad password')]), { retriable: false, kind: 'unauthorized' }],
    ['one of ours', new TransportError('topic has 1 partition, expected 12', false), { retriable: false, kind: 'misconfigured' }],
    ['a socket error code', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), { retriable: true, kind: 'unavailable' }],
    ['a message that only sounds transient', new Error('connect timeout: leader not available'), { retriable: false, kind: 'misconfigured' }],
    ['a bug', new TypeError('Cannot read properties of undefined'), { retriable: false, kind: 'misconfigured' }],
  ])('%s', (_, error, expected) => {
    expect(classifyKafkaError(error)).toEqual(expected);
  });
});

describe('transportErrorOf', () => {
  it('says what failed, keeps the cause, and carries the classification', () => {
    const cause = exhausted(unknownTopic());
    const error = transportErrorOf(cause, 'checking topics');
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ retriable: true, kind: 'unavailable', cause });
    expect(error.message).toMatch(/^checking topics: /);
  });

  it('passes ours through unchanged', () => {
    const ours = new TransportError('no Kafka brokers given', false);
    expect(transportErrorOf(ours, 'anything')).toBe(ours);
  });
});
