// Logical topic names. The Kafka transport prefixes and suffixes them; the in-process bus uses them
// as they are. Versioned like the events they carry.
export const TOPICS = {
  telemetry: 'telemetry.v1',
  deadLetter: 'telemetry.dlq.v1',
  status: 'status.v1',
  alerts: 'alerts.v1',
} as const;

export type TopicKey = keyof typeof TOPICS;

/** Full topic name under a configurable prefix, e.g. "wardwatch.telemetry.v1". */
export function topicName(key: TopicKey, prefix = 'wardwatch'): string {
  return prefix ? `${prefix}.${TOPICS[key]}` : TOPICS[key];
}
