import type { TestApp, Client } from './harness';

export interface HelperSpec {
  openid: string;
  /** Building ids of their responsibility zone (none: an outsider). */
  zone?: number[];
  at: { lat: number; lng: number };
  canCarryHeavy?: boolean;
  capacity?: number;
  onDuty?: boolean;
  verified?: boolean;
}

/** A helper placed exactly as a test needs: zone, position, fitness and capacity. */
export async function placeHelper(t: TestApp, spec: HelperSpec): Promise<Client> {
  const client = await t.login('helper', spec.openid);
  const helperId = client.user.helper!.id;
  await t.sql('DELETE FROM helper_zones WHERE helper_id = ?', [helperId]);
  for (const buildingId of spec.zone ?? []) {
    await t.sql('INSERT INTO helper_zones (helper_id, building_id, community_id) SELECT ?, id, community_id FROM buildings WHERE id = ?', [
      helperId,
      buildingId,
    ]);
  }
  await t.sql('UPDATE helpers SET lat = ?, lng = ?, can_carry_heavy = ?, capacity = ?, on_duty = ?, verified = ? WHERE id = ?', [
    spec.at.lat,
    spec.at.lng,
    spec.canCarryHeavy ?? true,
    spec.capacity ?? 3,
    spec.onDuty ?? true,
    spec.verified ?? true,
    helperId,
  ]);
  return client;
}

/** A point `meters` north of `from` (about 111.32 km per degree of latitude). */
export function north(from: { lat: number; lng: number }, meters: number): { lat: number; lng: number } {
  return { lat: from.lat + meters / 111_320, lng: from.lng };
}

export async function buildingsByName(
  t: TestApp,
): Promise<Map<string, { id: number; lat: number; lng: number; floors: number; hasLift: boolean }>> {
  const rows = await t.sql<{ id: unknown; name: string; compound: string; lat: unknown; lng: unknown; floors: unknown; has_lift: unknown }>(
    'SELECT b.id, b.name, cp.name AS compound, b.lat, b.lng, b.floors, b.has_lift FROM buildings b JOIN compounds cp ON cp.id = b.compound_id',
  );
  return new Map(
    rows.map((r) => [
      `${r.compound} ${r.name}`,
      { id: Number(r.id), lat: Number(r.lat), lng: Number(r.lng), floors: Number(r.floors), hasLift: Number(r.has_lift) === 1 },
    ]),
  );
}

export const offeredIds = async (c: Client): Promise<string[]> =>
  (await c.get('/api/v1/helper/offers')).json().items.map((o: { errandId: string }) => o.errandId);
