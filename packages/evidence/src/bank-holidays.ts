// Bank holidays in England and Wales, 2026–2028, as GOV.UK lists them (substitute days included: Boxing
// Day 2026, Christmas and Boxing Day 2027, New Year's Day 2028). A table, not a rule: Easter and any
// one-off holiday (a coronation, a jubilee) are announced, not computed. Extend it each year.

export const BANK_HOLIDAY_YEARS = [2026, 2027, 2028] as const;

export const ENGLAND_AND_WALES_BANK_HOLIDAYS: ReadonlySet<string> = new Set([
  // 2026
  '2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28',
  // 2027
  '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28',
  // 2028
  '2028-01-03', '2028-04-14', '2028-04-17', '2028-05-01', '2028-05-29', '2028-08-28', '2028-12-25', '2028-12-26',
]);
