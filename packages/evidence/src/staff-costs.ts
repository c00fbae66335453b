// Staff time in money: hourly costs per staff group (PSSRU Unit Costs of Health and Social Care 2024
// manual), a staff mix, full-time equivalents. Pure.

/** £ per working hour without / with qualification costs (PSSRU Unit Costs of Health and Social Care 2024). */
export const PSSRU_2024_HOURLY: Readonly<Record<string, { without: number; with: number; label: string }>> = {
  nurseBand5: { without: 47, with: 53, label: 'Nurse, Agenda for Change band 5' },
  nurseBand6: { without: 58, with: 64, label: 'Nurse, band 6' },
  nurseBand7: { without: 69, with: 75, label: 'Nurse, band 7' },
  fy1: { without: 33, with: 48, label: 'Foundation doctor FY1' },
  fy2: { without: 38, with: 55, label: 'Foundation doctor FY2' },
  registrar: { without: 56, with: 79, label: 'Registrar' },
  consultant: { without: 121, with: 157, label: 'Consultant' },
};

/**
 * Who waits at a ward's devices, by share of the time: an illustrative acute-ward mix, mostly nursing.
 * A trust should set its own from its workforce figures (ESR); the guide says so.
 */
export const DEFAULT_STAFF_MIX: Readonly<Record<string, number>> = {
  nurseBand5: 0.45,
  nurseBand6: 0.2,
  nurseBand7: 0.1,
  fy1: 0.08,
  fy2: 0.07,
  registrar: 0.06,
  consultant: 0.04,
};

/** Working hours a year per full-time equivalent (PSSRU: a nurse FTE works 1,545 hours a year). */
export const HOURS_PER_FTE_YEAR = 1545;
/** Hours in an average year (365.25 days), to take a period's share of a working year. */
const HOURS_PER_YEAR = 365.25 * 24;

export interface StaffCosts {
  /** Staff group → share of the time lost (shares sum to 1). */
  mix: Readonly<Record<string, number>>;
  /** Staff group → £ per hour without / with qualification costs. */
  hourly: Readonly<Record<string, { without: number; with: number }>>;
  hoursPerFteYear: number;
  priceYear: string;
}

export const DEFAULT_STAFF_COSTS: StaffCosts = {
  mix: DEFAULT_STAFF_MIX,
  hourly: PSSRU_2024_HOURLY,
  hoursPerFteYear: HOURS_PER_FTE_YEAR,
  priceYear: '2023/24',
};

/** £ per hour of the mix, low (without qualification costs) and high (with). */
export function blendedHourlyCost(costs: StaffCosts): { low: number; high: number } {
  let low = 0;
  let high = 0;
  for (const [group, share] of Object.entries(costs.mix)) {
    const rate = costs.hourly[group];
    if (!rate) throw new Error(`staff group "${group}" has no hourly cost; add it to the costs table`);
    low += share * rate.without;
    high += share * rate.with;
  }
  return { low, high };
}

/** Hours over a period of `periodHours` as full-time equivalents working through that period. */
export function fteOf(hours: number, periodHours: number, hoursPerFteYear = HOURS_PER_FTE_YEAR): number {
  return hours / (hoursPerFteYear * (periodHours / HOURS_PER_YEAR));
}

export function costOf(hours: number, costs: StaffCosts): { low: number; high: number } {
  const rate = blendedHourlyCost(costs);
  return { low: hours * rate.low, high: hours * rate.high };
}
