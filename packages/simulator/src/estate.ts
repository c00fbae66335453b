// A synthetic NHS trust: sites, wards, access points, devices and clinical applications. Fictional
// names; the shape of a real acute trust (a few large hospitals and community sites).
import { mulberry32 } from './random.ts';

export interface EstateOptions {
  seed: number;
  sites?: number;
  wardsPerSite?: number;
  devicesPerWard?: number;
  apsPerWard?: number;
  trustId?: string;
  trustName?: string;
}

export interface AppSpec {
  id: string;
  name: string;
  /** Median response time of a healthy check, ms. */
  baseMs: number;
}

export interface DeviceSpec {
  id: string;
  site: string;
  ward: string;
  /** The access point it associates with (wired devices still sit near one, but report none). */
  ap: string;
  wired: boolean;
  /** Index in the estate, for keyed randomness. */
  index: number;
}

export interface WardSpec {
  id: string;
  name: string;
  site: string;
  accessPoints: string[];
  devices: DeviceSpec[];
}

export interface SiteSpec {
  id: string;
  name: string;
  /** Kind of site: acute hospital, community hospital, mental health unit, treatment centre, children's centre. */
  type: string;
  /** Where it is: the place within the integrated care board (ICB) the trust serves. */
  area: string;
  wards: WardSpec[];
}

export interface Estate {
  trust: { id: string; name: string };
  sites: SiteSpec[];
  apps: AppSpec[];
}

/** The trust's sites, each with its kind and its place in the ICB (a site past the twelfth repeats one, numbered). */
const SITES: ReadonlyArray<{ name: string; type: string; area: string }> = [
  { name: "St Aldhelm's Hospital", type: 'Acute hospital', area: 'Aldhelm Vale' },
  { name: 'Northfield General Hospital', type: 'Acute hospital', area: 'Northfield' },
  { name: 'Riverside Community Hospital', type: 'Community hospital', area: 'Northfield' },
  { name: 'Queen Eleanor Infirmary', type: 'Acute hospital', area: 'Westmoor' },
  { name: 'Harrowgate Memorial Hospital', type: 'Community hospital', area: 'Aldhelm Vale' },
  { name: 'Westmoor Treatment Centre', type: 'Treatment centre', area: 'Westmoor' },
  { name: 'Kingsbridge Hospital', type: 'Acute hospital', area: 'Kingsbridge' },
  { name: 'Ashby Vale Community Hospital', type: 'Community hospital', area: 'Aldhelm Vale' },
  { name: "St Bede's Hospital", type: 'Acute hospital', area: 'Kingsbridge' },
  { name: 'Elmwood Mental Health Unit', type: 'Mental health unit', area: 'Northfield' },
  { name: "Castlegate Children's Centre", type: "Children's centre", area: 'Westmoor' },
  { name: 'Marston Park Hospital', type: 'Community hospital', area: 'Kingsbridge' },
];
const SPECIALTIES = [
  'Acute Medical Unit', 'Respiratory', 'Cardiology', 'Elderly Care', 'Surgical Assessment', 'Orthopaedics', 'Maternity',
  'Paediatrics', 'Oncology', 'Stroke Unit', 'Renal', 'Emergency Department', 'Critical Care', 'Day Surgery', 'Neonatal',
];

export const CLINICAL_APPS: AppSpec[] = [
  { id: 'epr', name: 'Electronic patient record', baseMs: 380 },
  { id: 'pacs', name: 'PACS viewer', baseMs: 620 },
  { id: 'ordercomms', name: 'Order communications', baseMs: 300 },
  { id: 'eprescribing', name: 'e-Prescribing', baseMs: 340 },
];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const hex = (n: number) => (n & 0xff).toString(16).padStart(2, '0');

export function buildEstate(options: EstateOptions): Estate {
  const random = mulberry32(options.seed);
  const trustId = options.trustId ?? 'RXX';
  const siteCount = options.sites ?? 12;
  const wardsPerSite = options.wardsPerSite ?? 8;
  const devicesPerWard = options.devicesPerWard ?? 10;
  const apsPerWard = options.apsPerWard ?? 2;
  let deviceIndex = 0;
  let apIndex = 0;
  // Made once and shared by every site: two million devices are built in seconds, not tens of them.
  const wardIds = Array.from({ length: wardsPerSite }, (_, w) => `W${pad(w + 1)}`);
  const deviceSuffixes = Array.from({ length: devicesPerWard }, (_, d) => `-D${pad(d + 1)}`);
  const sites: SiteSpec[] = [];
  for (let s = 1; s <= siteCount; s++) {
    const siteId = `${trustId}${pad(s)}`;
    const base = SITES[(s - 1) % SITES.length]!;
    const name = s > SITES.length ? `${base.name} (${Math.ceil(s / SITES.length)})` : base.name;
    const wards: WardSpec[] = [];
    for (let w = 1; w <= wardsPerSite; w++) {
      const wardId = wardIds[w - 1]!;
      const specialty = SPECIALTIES[Math.floor(random() * SPECIALTIES.length)]!;
      const accessPoints = Array.from({ length: apsPerWard }, () => {
        apIndex++;
        return `3c:a8:2a:${hex(apIndex >> 16)}:${hex(apIndex >> 8)}:${hex(apIndex)}`;
      });
      const devices: DeviceSpec[] = [];
      const wardPrefix = `${siteId}-${wardId}`;
      for (let d = 1; d <= devicesPerWard; d++) {
        devices.push({
          id: wardPrefix + deviceSuffixes[d - 1]!,
          site: siteId,
          ward: wardId,
          ap: accessPoints[(d - 1) % accessPoints.length]!,
          wired: random() < 0.2,
          index: deviceIndex++,
        });
      }
      wards.push({ id: wardId, name: `Ward ${w} – ${specialty}`, site: siteId, accessPoints, devices });
    }
    sites.push({ id: siteId, name, type: base.type, area: base.area, wards });
  }
  return {
    trust: { id: trustId, name: options.trustName ?? 'Northfield and Aldhelm Teaching Hospitals NHS Foundation Trust' },
    sites,
    apps: CLINICAL_APPS.map((a) => ({ ...a })),
  };
}
