// What staff type in the search box, told apart without asking them which kind it is.

/** A door as the registry may spell it: "3" or "3号楼"/"3栋"/"3幢"; "2" or "2单元"; "601" or "601室". */
export interface DoorQuery {
  buildingNames: string[];
  units: string[];
  rooms: string[];
}

export type SearchQuery =
  | { kind: 'errand'; publicId: string }
  | { kind: 'phone'; last4: string }
  | { kind: 'door'; door: DoorQuery }
  | { kind: 'name'; prefix: string };

/** 3-2-601, 3号楼2单元601, 3栋2单元601室, 3 - 2 - 601 */
const DOOR = /^(\d{1,4})\s*(?:-|－|号楼|号|栋|幢)\s*(\d{1,3})\s*(?:-|－|单元)\s*(\d{1,5})\s*室?$/;
/** Errand public ids: 22 characters of base64url (16 random bytes). */
const ERRAND_ID = /^[A-Za-z0-9_-]{22}$/;

export function parseSearch(raw: string): SearchQuery {
  const q = raw.trim();
  if (/^\d{4}$/.test(q)) return { kind: 'phone', last4: q };
  const door = DOOR.exec(q);
  if (door) {
    const [, building, unit, room] = door as unknown as [string, string, string, string];
    return {
      kind: 'door',
      door: {
        buildingNames: [building, `${building}号楼`, `${building}栋`, `${building}幢`, `${building}号`],
        units: [unit, `${unit}单元`],
        rooms: [room, `${room}室`],
      },
    };
  }
  if (ERRAND_ID.test(q) && /\d|[A-Z_-]/.test(q)) return { kind: 'errand', publicId: q };
  return { kind: 'name', prefix: q };
}
