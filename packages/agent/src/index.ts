// @wardwatch/agent — the workstation agent: what clinicians wait for, measured where it happens.
export * from './collect/index.ts';
export * from './checks/index.ts';
export * from './spool/index.ts';
export * from './delivery/index.ts';
export { Agent, AGENT_VERSION, jsonLogger, type AgentOptions } from './agent.ts';
export { parseAgentConfig, loadAgentConfig, AgentConfigError, parseDuration, parseBytes, type AgentConfig } from './config.ts';
export { pseudonymise, loadPseudonymKey } from './identity.ts';
export { EventFactory, type Place } from './events.ts';
export { MarkBook, MarkError } from './marks.ts';
