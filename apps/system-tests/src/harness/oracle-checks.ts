import { compareAlerts, compareShipments, compareTotals, compareVerdicts, differences } from './compare';
import { requestJson } from './http';
import type { OracleFile } from './oracle-file';
import type { SystemUnderTest } from './system';
import { getEach, listAll } from './views';

/**
 * Every view against the oracle over the services' HTTP APIs: verdicts, shipments, alerts and analytics totals,
 * each as `differences(...)` (count 0 and no examples when equal). `shippingUrl` reads shipments through another
 * instance of shipping (every instance serves the one database).
 */
export async function viewsAgainstOracle(system: SystemUnderTest, oracle: OracleFile, options: { shippingUrl?: string } = {}) {
  const orderIds = Object.keys(oracle.verdicts);
  const verdicts = await getEach(system.service('order-validation').baseUrl, orderIds, (id) => `/orders/${encodeURIComponent(id)}`);
  const shipments = await getEach(
    options.shippingUrl ?? system.service('shipping').baseUrl,
    orderIds,
    (id) => `/shipments/${encodeURIComponent(id)}`,
  );
  const { items } = await listAll(system.service('fraud-detection').baseUrl, '/alerts');
  const totals = await requestJson(`${system.service('analytics').baseUrl}/analytics/totals`);
  return {
    verdicts: differences(compareVerdicts(oracle, verdicts)),
    shipments: differences(compareShipments(oracle, shipments)),
    alerts: differences(compareAlerts(oracle, items)),
    totals: differences(compareTotals(oracle, totals.body)),
  };
}

export const NO_DIFFERENCES = { count: 0, examples: [] } as const;
