import { describe, expect, it } from 'vitest';
import { parseSloConfig, SloConfigError } from './config-file.ts';

const SLOS = `slos:
  - name: app-availability
    scope: { kind: application, selector: "*" }
    indicator: { kind: availability }
    objective: 0.995
notifications:
  - { type: email, name: board-mail, host: smtp.trust.nhs.uk, port: 587, from: wardwatch@trust.nhs.uk, to: [desk@trust.nhs.uk] }
`;

function problems(text: string): string[] {
  try {
    parseSloConfig(text, 'slos.yaml');
  } catch (error) {
    if (error instanceof SloConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('reports: in the SLO file', () => {
  it('reads a monthly pack through a named email notifier, with defaults', () => {
    const parsed = parseSloConfig(`${SLOS}reports:\n  - { trust: RXX, email: board-mail, to: [cio@trust.nhs.uk] }\n  - { trust: RXX, site: RXX03, email: board-mail, format: html, time: "08:30" }\n`);
    expect(parsed.reports).toEqual([
      { schedule: 'monthly', trust: 'RXX', email: 'board-mail', to: ['cio@trust.nhs.uk'], format: 'pdf', time: '07:00' },
      { schedule: 'monthly', trust: 'RXX', site: 'RXX03', email: 'board-mail', format: 'html', time: '08:30' },
    ]);
    expect(parseSloConfig(SLOS).reports).toEqual([]);
  });

  it.each([
    ['an email notifier that is not there', '  - { trust: RXX, email: ceo-mail }', /^reports\[0\]\.email: no email notifier named "ceo-mail" under notifications; the email notifiers are board-mail/],
    ['a weekly schedule', '  - { trust: RXX, email: board-mail, schedule: weekly }', /^reports\[0\]\.schedule: must be "monthly"/],
    ['a time that is not HH:MM', '  - { trust: RXX, email: board-mail, time: 7am }', /^reports\[0\]\.time: must be a time of day as HH:MM/],
    ['a format it cannot send', '  - { trust: RXX, email: board-mail, format: docx }', /^reports\[0\]\.format: must be pdf, html, csv or json/],
    ['no trust', '  - { email: board-mail }', /^reports\[0\]\.trust: must be the trust id/],
    ['a bad recipient', '  - { trust: RXX, email: board-mail, to: [nobody] }', /^reports\[0\]\.to\[0\]: must be an email address/],
    ['an unknown field', '  - { trust: RXX, email: board-mail, cc: [x@y.z] }', /^reports\[0\]: unknown field "cc"/],
  ])('refuses %s, naming the field', (_case, line, message) => {
    expect(problems(`${SLOS}reports:\n${line}\n`).join('\n')).toMatch(message);
  });

  it('says to add an email notifier when the file has none', () => {
    const text = SLOS.replace(/notifications:[\s\S]*$/, 'reports:\n  - { trust: RXX, email: board-mail }\n');
    expect(problems(text)).toEqual([expect.stringMatching(/^reports\[0\]\.email: no email notifier under notifications: add one/)]);
  });
});
