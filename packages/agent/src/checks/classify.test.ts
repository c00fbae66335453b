import { describe, expect, it } from 'vitest';
import { classifyError } from './classify.ts';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('classifyError', () => {
  it.each([
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ECONNREFUSED', 'refused'],
    ['ECONNRESET', 'reset'],
    ['EPIPE', 'reset'],
    ['ETIMEDOUT', 'timeout'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['CERT_NOT_YET_VALID', 'tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
    ['EPROTO', 'tls'],
    ['EHOSTUNREACH', 'other'],
    ['ERR_INVALID_URL', 'other'],
  ])('%s is %s', (code, kind) => {
    expect(classifyError(withCode(code))).toBe(kind);
  });

  it('treats a code-less "socket hang up" as reset and anything unknown as other', () => {
    expect(classifyError(new Error('socket hang up'))).toBe('reset');
    expect(classifyError(new Error('something else'))).toBe('other');
    expect(classifyError('a string')).toBe('other');
    expect(classifyError(undefined)).toBe('other');
  });
});
