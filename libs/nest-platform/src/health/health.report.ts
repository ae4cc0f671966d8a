import type { MaterializerStatus } from '@shop/kafka';

/** Pure: how /health judges what it measured. No Nest, Kafka or Prisma here. */

export type Probe =
  { readonly status: 'up'; readonly ms: number } | { readonly status: 'down'; readonly ms: number; readonly error: string };

export type ViewState = 'caught-up' | 'catching-up' | 'starting' | 'rebuilding' | 'stopped' | 'crashed' | 'unknown';

export interface ViewCheck {
  readonly view: string;
  readonly topic: string | null;
  readonly status: ViewState;
  readonly lag: number | null;
  readonly maxLag: number;
  readonly partitions: readonly {
    readonly partition: number;
    readonly nextOffset: number;
    readonly highWatermark: number;
    readonly lag: number;
    readonly updatedAt: string | null;
  }[];
  readonly error?: string;
}

export interface HealthReport {
  readonly status: 'ok' | 'unavailable';
  readonly checks: { readonly kafka: Probe; readonly database: Probe; readonly views: readonly ViewCheck[] };
}

export interface ViewObservation {
  readonly view: string;
  /** undefined when the status could not be read (Kafka or the database did not answer). */
  readonly status?: MaterializerStatus;
  readonly error?: string;
  readonly rebuilding: boolean;
  readonly crashed: boolean;
  /** The consumer has not joined its group yet (start in the background; a dead predecessor may still hold it). */
  readonly starting?: boolean;
}

/** Offsets are far below 2^53 in practice; numbers keep the body readable. */
const n = (value: bigint): number => Number(value);

export function viewCheck(observed: ViewObservation, maxLag: number): ViewCheck {
  const s = observed.status;
  const state: ViewState = observed.crashed
    ? 'crashed'
    : observed.rebuilding
      ? 'rebuilding'
      : observed.starting
        ? 'starting'
        : !s
          ? 'unknown'
          : !s.running
            ? 'stopped'
            : s.lag <= BigInt(maxLag)
              ? 'caught-up'
              : 'catching-up';
  return {
    view: observed.view,
    topic: s?.topic ?? null,
    status: state,
    lag: s ? n(s.lag) : null,
    maxLag,
    partitions: [...(s?.partitions ?? [])]
      .sort((a, b) => a.partition - b.partition)
      .map((p) => ({
        partition: p.partition,
        nextOffset: n(p.nextOffset),
        highWatermark: n(p.highWatermark),
        lag: n(p.lag),
        updatedAt: p.updatedAt?.toISOString() ?? null,
      })),
    ...(observed.error ? { error: observed.error } : {}),
  };
}

/** 200-worthy only when Kafka and the database answer and every view is caught up (within maxLag). */
export function healthReport(kafka: Probe, database: Probe, views: readonly ViewCheck[]): HealthReport {
  const ok = kafka.status === 'up' && database.status === 'up' && views.every((v) => v.status === 'caught-up');
  return { status: ok ? 'ok' : 'unavailable', checks: { kafka, database, views } };
}
