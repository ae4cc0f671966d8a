import type { ConnectorDefinition } from './users-cdc-connector';

export type ConnectorState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'RESTARTING' | 'STOPPED';

export interface ConnectorStatus {
  readonly name: string;
  readonly connector: { readonly state: ConnectorState; readonly worker_id: string; readonly trace?: string };
  readonly tasks: readonly { readonly id: number; readonly state: ConnectorState; readonly worker_id: string; readonly trace?: string }[];
}

export class ConnectRestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ConnectRestError';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The few calls of Kafka Connect's REST API that register, inspect and remove connectors
 * (https://kafka.apache.org/documentation/#connect_rest). `baseUrl` e.g. http://127.0.0.1:18083.
 */
export class ConnectClient {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly requestTimeoutMs = 30_000,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** Creates the connector, or updates its config if it exists (PUT /connectors/{name}/config). */
  async upsert(connector: ConnectorDefinition): Promise<void> {
    await this.request('PUT', `/connectors/${encodeURIComponent(connector.name)}/config`, connector.config);
  }

  /** Removes the connector; false if there was none. Its source offsets stay in the offsets topic. */
  async delete(name: string): Promise<boolean> {
    const res = await this.request('DELETE', `/connectors/${encodeURIComponent(name)}`, undefined, [404]);
    return res.status !== 404;
  }

  /** Stops the connector and its tasks (PUT /connectors/{name}/stop); its config stays. */
  async stop(name: string): Promise<void> {
    await this.request('PUT', `/connectors/${encodeURIComponent(name)}/stop`);
  }

  /** Starts a stopped or paused connector again (PUT /connectors/{name}/resume). */
  async resume(name: string): Promise<void> {
    await this.request('PUT', `/connectors/${encodeURIComponent(name)}/resume`);
  }

  /**
   * Forgets the connector's offsets (DELETE /connectors/{name}/offsets, KIP-875): a sink's consumer group offsets,
   * so after `resume` it reads its topics again from the start. The connector must be stopped first.
   */
  async resetOffsets(name: string): Promise<void> {
    await this.request('DELETE', `/connectors/${encodeURIComponent(name)}/offsets`);
  }

  /** Waits until the connector reports STOPPED (after `stop`). */
  async waitUntilStopped(name: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await this.status(name).catch(() => undefined);
      if (status?.connector.state === 'STOPPED') return;
      if (Date.now() > deadline)
        throw new Error(`connector ${name} not stopped after ${timeoutMs} ms; last status: ${JSON.stringify(status)}`);
      await sleep(200);
    }
  }

  /**
   * Fails with what to do when the worker has no plugin of `connectorClass`: a worker started before
   * `npm run infra:install` fetched a new plugin keeps running without it.
   */
  async requirePlugins(connectors: readonly ConnectorDefinition[]): Promise<void> {
    for (const connectorClass of new Set(connectors.map((c) => c.config['connector.class'] ?? '')))
      await this.requirePlugin(connectorClass);
  }

  async requirePlugin(connectorClass: string): Promise<void> {
    const plugins = (await this.request('GET', '/connector-plugins')).body as readonly { class: string }[];
    if (plugins.some((p) => p.class === connectorClass)) return;
    throw new Error(
      `the Connect worker at ${this.baseUrl} has no ${connectorClass} plugin (it has ${plugins.map((p) => p.class).join(', ') || 'none'}); ` +
        'it was probably started before `npm run infra:install` fetched it: restart it (node infra/local/cli.mjs kill connect && npm run infra:up)',
    );
  }

  async list(): Promise<string[]> {
    return (await this.request('GET', '/connectors')).body as string[];
  }

  /** undefined if there is no such connector. */
  async status(name: string): Promise<ConnectorStatus | undefined> {
    const res = await this.request('GET', `/connectors/${encodeURIComponent(name)}/status`, undefined, [404]);
    return res.status === 404 ? undefined : (res.body as ConnectorStatus);
  }

  /** Waits until the connector and all its tasks run; throws with the worker's stack trace if one failed. */
  async waitUntilRunning(name: string, timeoutMs = 60_000): Promise<ConnectorStatus> {
    const deadline = Date.now() + timeoutMs;
    let last: ConnectorStatus | undefined;
    for (;;) {
      last = await this.status(name).catch(() => undefined);
      if (last) {
        const failed = [last.connector, ...last.tasks].find((s) => s.state === 'FAILED');
        if (failed) throw new Error(`connector ${name} FAILED:\n${failed.trace ?? '(no trace)'}`);
        if (last.connector.state === 'RUNNING' && last.tasks.length > 0 && last.tasks.every((t) => t.state === 'RUNNING')) {
          return last;
        }
      }
      if (Date.now() > deadline) {
        throw new Error(`connector ${name} not running after ${timeoutMs} ms; last status: ${JSON.stringify(last)}`);
      }
      await sleep(200);
    }
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    okStatuses: readonly number[] = [],
  ): Promise<{ status: number; body: unknown }> {
    // A worker answers 409 while it rebalances (e.g. right after another connector was added): retry.
    for (let attempt = 0; ; attempt += 1) {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      const text = await res.text();
      const parsed: unknown = text ? JSON.parse(text) : undefined;
      if (res.ok || okStatuses.includes(res.status)) return { status: res.status, body: parsed };
      if (res.status === 409 && attempt < 50) {
        await sleep(200);
        continue;
      }
      throw new ConnectRestError(`${method} ${this.baseUrl}${path} → ${res.status}: ${text}`, res.status);
    }
  }
}
