// @wardwatch/evidence — evidence for funding bids, computed from the stored rollups.
export { BinCounts, binsOf } from './bin-counts.ts';
export { logonTimeLost, appTimeLost, screensPerCheck, DEFAULT_APP_VOLUME, type LogonTimeLost, type AppTimeLost, type AppVolume } from './time-lost.ts';
export { compareBeforeAfter, BEFORE_AFTER_FIGURES, type ChangePoint, type BeforeAfterOptions, type BeforeAfterFigure, type BeforeAfterFigureName, type BeforeAfterResult } from './before-after.ts';
export { PSSRU_2024_HOURLY, DEFAULT_STAFF_MIX, DEFAULT_STAFF_COSTS, HOURS_PER_FTE_YEAR, blendedHourlyCost, fteOf, costOf, type StaffCosts } from './staff-costs.ts';
export { evidenceConfigSchema, parseEvidenceConfig, loadEvidenceConfig, staffCostsOf, appVolumeOf, DEFAULT_EVIDENCE_CONFIG, EvidenceConfigError, type EvidenceConfig } from './config.ts';
export { londonMonth, addMonths, monthOf, monthName, MonthError, type MonthPeriod } from './months.ts';
export { loadInventory, estateDirectorySchema, type EstateDirectory, type DirectorySite, type DirectoryDevice, type DirectoryAccessPoint } from './directory.ts';
export { loadPackInputs, compareChanges, historyStart, UnknownScopeError, type PackInputs, type PackRequest, type PackChange, type LoadOptions } from './pack-inputs.ts';
export { buildEvidencePack } from './pack.ts';
export { renderPack, REPORT_FORMATS, CONTENT_TYPES, type ReportFormat } from './render/index.ts';
export { renderHtml } from './render/html.ts';
export { renderCsv, csvField } from './render/csv.ts';
export { renderPdf, chromiumPath, ChromiumMissingError, DEFAULT_CHROMIUM } from './render/pdf.ts';
export { MonthlyReportSender, type MonthlyReportOptions, type ReportMailbox, type ReportMessage, type ReportAttachment } from './report-mailer.ts';
export { nextReportDue, firstWorkingDay, isWorkingDay, holidaysKnown, londonTime, ScheduleError, type ReportDue } from './report-schedule.ts';
export { ENGLAND_AND_WALES_BANK_HOLIDAYS, BANK_HOLIDAY_YEARS } from './bank-holidays.ts';
export { mergeMonth, MONTH_FINAL_AFTER_MS, type HistoryCache, type MonthSummary } from './history-months.ts';
