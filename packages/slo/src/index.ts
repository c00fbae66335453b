// @wardwatch/slo — service levels: SLO definitions (YAML), error budgets, multiwindow burn-rate
// evaluation over rollups, the alert lifecycle, notifiers and Prometheus rules.
export {
  SLO_SCOPE_KINDS,
  INDICATOR_KINDS,
  SEVERITIES,
  sloSchema,
  sloConfigSchema,
  type SloDefinition,
  type SloDefinitionInput,
  type SloScope,
  type SloScopeKind,
  type SloConfig,
  type IndicatorKind,
  type Severity,
} from './definition.ts';
export { parseSloConfig, loadSloFile, DEFAULT_SLOS, DEFAULT_SLO_FILE, SloConfigError, type ParsedSloConfig, type SloConfigOptions } from './config-file.ts';
export { parseSloDuration, formatSloDuration } from './duration.ts';
export { errorRatio, burnRate, errorBudgetRemaining, alertThreshold, budgetConsumed } from './burn-math.ts';
export { BURN_RATE_RULES, burnRateRule, type BurnRateRule, type BurnRateRuleInput } from './burn-rate-rules.ts';
export { TRUST_SCOPE, INDICATOR_SOURCES, expandSlo, targetScopesOf, type IndicatorSource } from './targets.ts';
export { SliCounter, resolutionsFor, type SliCounts } from './sli-counter.ts';
export { SLI_TALLY_LOOK_BACK_MS, SliTally } from './sli-tally.ts';
export { planRollupQueries, loadSliCounter, SliLoader } from './rollup-queries.ts';
export { ALERT_FLOORS, budgetCoverage, evaluateBurnRates, evaluateSlos, type CountsFn, type WindowBurn, type RuleResult, type BurnRateEvaluation, type EvaluateOptions } from './evaluate.ts';
export { ALERT_NAME, fingerprint, type SloAlert, type AlertStatus, type FiredRule, type AlertsResponse } from './alert.ts';
export { parseSilence, silenceSchema, silenceApplies, scopeMatches, type Silence, type SilenceMatchers } from './silence.ts';
export { AlertBook, dataSoFar, type AlertBookOptions, type AlertHolds, type Notification } from './alert-book.ts';
export { NotifierError, type Notifier, type NotifierErrorCode } from './notify/notifier.ts';
export { type WebhookOptions } from './notify/post-json.ts';
export { notificationTitle, notificationText } from './notify/message.ts';
export { WebhookNotifier, webhookPayload, type WebhookPayload } from './notify/webhook.ts';
export { TeamsNotifier, teamsPayload, type TeamsOptions } from './notify/teams.ts';
export { SlackNotifier, slackPayload, type SlackOptions } from './notify/slack.ts';
export { AlertmanagerNotifier, alertmanagerPayload, type AlertmanagerOptions, type AlertmanagerPayload, type AlertmanagerAlert } from './notify/alertmanager.ts';
export { EmailNotifier, emailContent, type EmailOptions } from './notify/email.ts';
export { NOTIFIER_TYPES, notifierConfigSchema, notificationsSchema, createNotifiers, describeNotifier, type NotifierConfig, type NotifierType } from './notify/config.ts';
export { generatePrometheusRules, errorRatioRecord, SLI_EVENTS_METRIC, SLI_GOOD_EVENTS_METRIC, type PrometheusRulesOptions } from './prometheus-rules.ts';
export { reportConfigSchema, reportsSchema, type ReportConfig } from './reports-config.ts';
