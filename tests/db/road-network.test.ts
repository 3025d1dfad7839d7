// The SQL step of travel time: roads read into the road graph, shared while the roads are unchanged,
// rebuilt after any committed change to them.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from './backends.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/open.ts';
import { clearRoadNetworkCache, loadRoadNetwork, roadSpeedsFromScenario } from '../../src/lib/analysis/travel-time/network.server.ts';
import { nearestSource } from '../../src/lib/analysis/travel-time/index.ts';

for (const backend of backends) {
	describe(`road network from the roads table (${backend.name})`, () => {
		let handle: DatabaseHandle;
		beforeAll(async () => {
			clearRoadNetworkCache();
			handle = await backend.open();
			// Two roads meeting at (106.01, 30.8): a county road going east, a village road going north.
			await handle.db
				.insertInto('roads')
				.values([
					{ county_code: '511304', class: 'county', speed_kmh: 40, geom: 'SRID=4326;LINESTRING(106 30.8, 106.01 30.8)' },
					{ county_code: '511304', class: 'village', speed_kmh: 20, geom: 'SRID=4326;LINESTRING(106.01 30.8, 106.01 30.81)' },
					{ county_code: '360731', class: 'county', speed_kmh: 40, geom: 'SRID=4326;LINESTRING(115 26, 115.1 26)' }
				] as never)
				.execute();
		});
		afterAll(async () => {
			await handle?.close();
		});

		test('builds the county graph with the scenario speeds and times a trip on it', async () => {
			const net = await loadRoadNetwork(handle.db, ['511304'], roadSpeedsFromScenario({ county: 40, village: 20, walking: 4 }));
			expect(net.roadCount).toBe(2);
			expect(net.graph.nodeCount).toBe(3);
			const [r] = nearestSource(net.graph, [{ id: 's', lon: 106, lat: 30.8 }], [{ id: 't', lon: 106.01, lat: 30.81 }]);
			// ~957 m east at 40 km/h (1.44 min) + ~1112 m north at 20 km/h (3.34 min).
			expect(r.minutes).toBeGreaterThan(4.6);
			expect(r.minutes).toBeLessThan(4.9);
		});

		test('is shared while roads are unchanged and rebuilt after a change', async () => {
			const a = await loadRoadNetwork(handle.db, ['511304']);
			const b = await loadRoadNetwork(handle.db, ['511304']);
			expect(b).toBe(a);
			await handle.db.deleteFrom('roads').where('class', '=', 'village').execute();
			const c = await loadRoadNetwork(handle.db, ['511304']);
			expect(c).not.toBe(a);
			expect(c.roadCount).toBe(1);
			expect(c.roadsVersion).toBeGreaterThan(a.roadsVersion);
		});

		test('refuses a non-positive speed, naming the class', () => {
			expect(() => roadSpeedsFromScenario({ county: 0 })).toThrow(/county/);
		});
	});
}
