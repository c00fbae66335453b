// @wardwatch/agent — the workstation agent: what clinicians wait for, measured where it happens.
export * from './collect/index.ts';
export * from './checks/index.ts';
export * from './spool/index.ts';
export * from './delivery/index.ts';
