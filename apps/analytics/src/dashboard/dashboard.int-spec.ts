import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Topics, withTopicPrefix, type OrderLine } from '@shop/contracts';
import type { EventProducer } from '@shop/kafka';
import { startServiceUnderTest, uniqueName, waitUntil, type ServiceUnderTest } from '@shop/testing';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { AppModule, SERVICE_NAME } from '../app.module';
import { loadConfig, type AnalyticsConfig } from '../config/config';
import type { TotalsReport } from '../rollups/domain/reports';
import { alert, rejected, shipment, user, validated } from '../test-support/events';

/** Debian's Chromium (never a downloaded browser): `apt-get install -y chromium`. */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = path.resolve(__dirname, '..', '..', '..', '..', 'artifacts', 'dashboard.png');

/**
 * The live dashboard in a real (headless) browser: analytics boots as main.ts does, the page is opened, and
 * validated orders arrive on its topics batch by batch while the page stays open. The displayed numbers must
 * move without a reload (Server-Sent Events) and end up equal to GET /analytics/totals.
 */
describe('dashboard in a browser', () => {
  const prefix = `${uniqueName('dash')}_`;
  const topics = {
    users: withTopicPrefix(Topics.users, prefix),
    verdicts: withTopicPrefix(Topics.orderValidations, prefix),
    shipments: withTopicPrefix(Topics.shipments, prefix),
    alerts: withTopicPrefix(Topics.fraudAlerts, prefix),
  };
  const regions = ['europe', 'north-america', 'asia-pacific', 'latin-america'];
  const catalogue: OrderLine[] = [
    { productId: 'p-book', category: 'books', quantity: 1, unitPriceCents: 1_250 },
    { productId: 'p-lamp', category: 'home', quantity: 1, unitPriceCents: 4_999 },
    { productId: 'p-phone', category: 'electronics', quantity: 1, unitPriceCents: 39_900 },
    { productId: 'p-pen', category: 'office', quantity: 3, unitPriceCents: 199 },
    { productId: 'p-shirt', category: 'fashion', quantity: 2, unitPriceCents: 2_495 },
  ];
  let baseUrl: string;
  let producer: EventProducer;
  let browser: BrowserContext;
  let profileDir: string;
  let page: Page;

  /** list[i mod length], never undefined. */
  const at = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;
  const totals = async (): Promise<TotalsReport> => (await (await fetch(`${baseUrl}/analytics/totals`)).json()) as TotalsReport;
  /** What the page shows right now, digits only ("€1,234.56" → 123456). */
  const shown = async () => {
    const read = async (id: string) => {
      const text = (await page.textContent(`#${id}`)) ?? '';
      return /\d/.test(text) ? Number(text.replace(/[^0-9]/g, '')) : undefined;
    };
    return {
      validated: await read('kpi-validated'),
      rejected: await read('kpi-rejected'),
      orders: await read('kpi-orders'),
      revenueCents: await read('kpi-revenue'),
      shipments: await read('kpi-shipments'),
      alerts: await read('kpi-alerts'),
    };
  };
  const asShown = (t: TotalsReport) => ({
    validated: t.orders.validated,
    rejected: t.orders.rejected,
    orders: t.orders.validated + t.orders.rejected,
    revenueCents: t.revenueCents,
    shipments: t.shipments,
    alerts: t.fraudAlerts.total,
  });

  let sut: ServiceUnderTest<AnalyticsConfig>;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`no Chromium at ${CHROMIUM}: install Debian's with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
    }
    sut = await startServiceUnderTest({
      service: SERVICE_NAME,
      loadConfig,
      module: (config) => AppModule.forRoot(config),
      topicPrefix: prefix,
      env: { JOIN_CATCH_UP_MS: '30000' },
      logLevel: 'error',
    });
    ({ baseUrl } = sut);
    ({ producer } = sut.kafka);

    // A fresh profile each run; playwright passes it as --user-data-dir.
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-chromium-'));
    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      viewport: { width: 1440, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  });

  afterAll(async () => {
    await browser?.close();
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
    await sut?.stop();
  });

  it('serves one self-contained page', async () => {
    const response = await fetch(`${baseUrl}/dashboard`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('EventSource');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//); // nothing from outside localhost
  });

  it('shows the orders arriving live, then exactly GET /analytics/totals', async () => {
    await page.goto(`${baseUrl}/dashboard`);
    // The first snapshot arrives on connect: an empty log shows zeros.
    await waitUntil(async () => (await shown()).validated === 0 || undefined, {
      description: 'the page to show 0 validated orders',
      timeoutMs: 30_000,
    });

    const users = regions.map((region, i) => ({ id: `u-${i}`, region }));
    await producer.send(
      topics.users,
      users.map((u) => ({ key: u.id, value: user(u.id, u.region) })),
    );

    // Batches of orders, one event-time minute each; the page must follow each batch without a reload.
    const seen: number[] = [0];
    const batches = 6;
    const perBatch = 25;
    for (let b = 0; b < batches; b++) {
      const records = Array.from({ length: perBatch }, (_, i) => {
        const n = b * perBatch + i;
        const u = at(users, n * 7);
        const placedAt = new Date(Date.UTC(2026, 10, 25, 10, b * 2 + (i % 2), (i * 7) % 60)).toISOString();
        const lines = [at(catalogue, n), at(catalogue, n * 3 + 1)];
        return { key: `o-${n}`, value: validated(`o-${n}`, u.id, placedAt, lines) };
      });
      await producer.send(topics.verdicts, [
        ...records,
        { key: `r-${b}`, value: rejected(`r-${b}`, at(users, b).id, '2026-11-25T10:00:00Z') },
      ]);
      const expected = (b + 1) * perBatch;
      const shownNow = await waitUntil(async () => ((await shown()).validated === expected ? expected : undefined), {
        description: `the page to show ${expected} validated orders`,
        timeoutMs: 30_000,
      });
      seen.push(shownNow);
    }
    expect(new Set(seen).size).toBe(batches + 1); // it changed with every batch

    await producer.send(
      topics.shipments,
      Array.from({ length: 40 }, (_, i) => ({ key: `o-${i}`, value: shipment(`o-${i}`, at(users, i * 7).id) })),
    );
    await producer.send(topics.alerts, [
      { key: 'o-1', value: alert('a-1', 'o-1', 'u-1', 'velocity') },
      { key: 'o-2', value: alert('a-2', 'o-2', 'u-2', 'velocity') },
      { key: 'o-3', value: alert('a-3', 'o-3', 'u-3', 'amount') },
    ]);

    // Everything counted, and the page shows exactly what GET /analytics/totals answers.
    const final = await waitUntil(
      async () => {
        const t = await totals();
        if (t.shipments !== 40 || t.fraudAlerts.total !== 3 || t.orders.rejected !== batches) return undefined;
        const onPage = await shown();
        return JSON.stringify(onPage) === JSON.stringify(asShown(t)) ? { t, onPage } : undefined;
      },
      { description: 'the page to show GET /analytics/totals', timeoutMs: 30_000 },
    );
    expect(final.onPage).toEqual(asShown(final.t));
    expect(final.t.orders.validated).toBe(batches * perBatch);
    expect(await page.textContent('#kpi-revenue')).toMatch(/^€[\d,]+\.\d\d$/);

    // The chart: 30 one-minute windows ending with the latest event-time minute present (not the clock).
    expect(await page.locator('#chart rect').count()).toBe(30);
    expect(await page.textContent('#chart-range')).toContain('10:11');
    expect(await page.locator('#regions .bar').count()).toBe(regions.length);
    expect(await page.locator('#categories .bar').count()).toBe(catalogue.length);
    expect(await page.locator('#alerts .bar').count()).toBe(2);
    expect(await page.locator('#views tr').count()).toBe(4);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });
});
