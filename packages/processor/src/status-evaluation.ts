// Status evaluation: each scope judged from its figures over the status horizon (the horizon's
// running cells, status-horizon.ts) by the status rules, and the statuses worth publishing picked
// (status-publishing.ts). Each scope's latest judgement is kept on the scope itself; a status is built
// from it only when published or asked for.
import type { ScopeStatus } from '@wardwatch/schema';
import { judge } from '@wardwatch/status-rules';
import type { ProcessorConfig } from './config.ts';
import type { ProcessorState } from './processor-state.ts';
import type { ScopeInfo, ScopeRegistry } from './scope-registry.ts';
import { figuresOf, NO_FIGURES, statusOf } from './scope-figures.ts';
import type { StatusHorizon } from './status-horizon.ts';
import { publishReason, type Judgement, type PublishContext } from './status-publishing.ts';
import { windowStart } from './window.ts';

export class StatusEvaluator {
  /**
   * Every scope with a status, by scope key (rebuilt at each window's end): its latest judgement is on
   * the scope itself (`judgedAt` …), its status built from it only when published or asked for.
   */
  private current = new Map<string, ScopeInfo>();
  private currentList: ScopeStatus[] | undefined = undefined;
  /** What publishing reads of the scope being judged: one object, filled for each scope in turn. */
  private readonly judgement: Judgement = { scope: 'site', status: 'ok', reason: '', figures: NO_FIGURES };

  constructor(
    private readonly config: ProcessorConfig,
    private readonly horizon: StatusHorizon,
  ) {}

  /**
   * The latest status of every scope: as of the latest evaluation for the scopes it judged (all of
   * them at a window's end), as of the one before for the others, unchanged since.
   */
  statuses(): ScopeStatus[] {
    if (this.currentList) return this.currentList;
    const list: ScopeStatus[] = [];
    for (const info of this.current.values()) list.push(this.judgedStatusOf(info));
    return (this.currentList = list);
  }

  /**
   * Evaluates statuses as of `end`; returns those to publish. At a window's end (and the first time)
   * every scope is judged — what depends on time alone (a device gone silent, a clock skew leaving the
   * horizon) is caught there, within a window — and every figure that changed at all is published, so
   * a board fed only what is published holds exactly each window's figures. At the ticks between (a
   * status interval shorter than the window), only the scopes whose horizon cells changed since the
   * last evaluation are judged, and published when their status or reason changed, or — a site — when
   * a figure moved past the tolerance (status-publishing.ts; a device's figures, from a few values,
   * move with every event: they go out at the window's end). A tick costs what changed; the sites'
   * time moves on with the live edge the runtime publishes (`evaluatedTo`).
   */
  evaluate(end: number, state: ProcessorState): ScopeStatus[] {
    const { statusHorizonMs, statusRefreshMs, windowMs, figureTolerance } = this.config;
    const full = windowStart(end, windowMs) === end || this.current.size === 0;
    this.horizon.slide(end, state.windows.values());
    const changed = this.horizon.takeChanged();
    const published: ScopeStatus[] = [];
    const context: EvaluationContext = {
      end,
      from: end - statusHorizonMs,
      minutes: Math.round(statusHorizonMs / 60_000),
      changed,
      published,
      publishing: { end, full, publishedAt: 0, refreshMs: statusRefreshMs, tolerance: figureTolerance },
    };
    if (full) {
      this.current = new Map();
      for (const info of state.registry.scopes.values()) this.evaluateScope(info, context, state.registry);
    } else {
      const scopes = state.registry.scopes;
      for (const key of changed.keys()) {
        const info = scopes.get(key);
        if (info) this.evaluateScope(info, context, state.registry);
      }
    }
    this.currentList = undefined;
    return published;
  }

  /**
   * Judges one scope and publishes it if its judgement says so (status-publishing.ts). Nothing is
   * built for a judgement that publishes nothing — at a tick, most of them — but its figures: the
   * status waits on the scope until it is published or asked for.
   */
  private evaluateScope(info: ScopeInfo, context: EvaluationContext, registry: ScopeRegistry): void {
    if (info.kind === 'trust' || info.kind === 'app') return;
    // Never seen live (known only from corrections or too-late events): no status to give.
    if (info.lastSeen === -Infinity) return;
    const { end, changed, publishing } = context;
    const moved = changed.get(info.key);
    if (info.figures === undefined || moved !== undefined) info.figures = figuresOf(this.horizon.cellsOf(info.key), info.figures, moved);
    const judgement = this.judgeScope(info, context, registry);
    this.current.set(info.key, info);
    publishing.publishedAt = info.publishedAt ?? -Infinity;
    if (publishReason(info.published, judgement, publishing) !== undefined) {
      const status = this.judgedStatusOf(info);
      context.published.push(status);
      info.published = status;
      info.publishedAt = end;
    }
  }

  /** Judges one scope as of `end` from its figures (worked out already) and the rules: recorded on the scope. */
  private judgeScope(info: ScopeInfo, { end, from, minutes }: EvaluationContext, registry: ScopeRegistry): Judgement {
    // A device's access point, and its clock skew while it came with an event inside the horizon.
    const device = info.kind === 'device' ? registry.devices.get(info.id) : undefined;
    const skew = device && device.skewAt! >= from ? device.skewMs : undefined;
    const figures = skew === undefined ? info.figures! : { ...info.figures!, clockSkewMs: skew };
    // An application as seen from one site is published as an "app" scope: the peers attribution
    // compares (the same application at other sites, the other applications at this site).
    const kind = info.kind === 'siteapp' ? 'app' : info.kind;
    const verdict = judge(kind, figures, this.config.thresholds, minutes, end - info.lastSeen);
    if (verdict.status !== info.status) {
      info.status = verdict.status;
      info.since = end;
    }
    info.reason = verdict.reason;
    info.judgedAt = end;
    info.judgedFigures = figures;
    info.judgedAp = device?.ap;
    info.judgedStatus = undefined;
    const judgement = this.judgement;
    judgement.scope = kind;
    judgement.status = verdict.status;
    judgement.reason = verdict.reason;
    judgement.figures = figures;
    return judgement;
  }

  /** The status of the scope's latest judgement (built once, then kept on the scope until it is judged again). */
  private judgedStatusOf(info: ScopeInfo): ScopeStatus {
    if (info.judgedStatus) return info.judgedStatus;
    const kind = info.kind === 'siteapp' ? 'app' : (info.kind as ScopeStatus['scope']);
    const key = kind === 'app' ? (info.statusKey ??= `app:${info.id}`) : info.key;
    const status = statusOf(key, kind, info, info.judgedAp, info.status!, info.reason!, info.judgedFigures!, info.judgedAt!);
    if (this.config.partition !== undefined && kind === 'site') status.partition = this.config.partition;
    return (info.judgedStatus = status);
  }
}

/** One evaluation's settings and what it gathers, handed to each scope it judges. */
interface EvaluationContext {
  end: number;
  /** The horizon's start. */
  from: number;
  minutes: number;
  /** Scopes whose horizon cells changed since the last evaluation → which metrics. */
  changed: ReadonlyMap<string, number>;
  published: ScopeStatus[];
  /** Filled with each scope's `publishedAt` in turn. */
  publishing: PublishContext;
}
