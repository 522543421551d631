import { expandingSearch, searchRadii, type NearbyHelper } from './geo-index';

const found = (n: number): NearbyHelper[] => Array.from({ length: n }, (_, i) => ({ helperId: i + 1, distanceM: i * 10 }));

describe('expandingSearch', () => {
  it('stops at a quarter of the radius when enough helpers are that close', async () => {
    const radii: number[] = [];
    const result = await expandingSearch(800, 12, async (r) => (radii.push(r), found(20)));
    expect(radii).toEqual([200]);
    expect(result).toHaveLength(20);
  });

  it('widens to half and then the whole radius where helpers are sparse', async () => {
    const radii: number[] = [];
    await expandingSearch(800, 12, async (r) => (radii.push(r), found(r >= 800 ? 5 : 2)));
    expect(radii).toEqual([200, 400, 800]);
  });

  it('never searches a ring smaller than 100 m', async () => {
    const radii: number[] = [];
    await expandingSearch(300, 12, async (r) => (radii.push(r), found(0)));
    expect(radii).toEqual([150, 300]);
  });
});

describe('searchRadii', () => {
  it('is a quarter, half and the whole radius, skipping rings under 100 m', () => {
    expect(searchRadii(1000)).toEqual([250, 500, 1000]);
    expect(searchRadii(300)).toEqual([150, 300]);
    expect(searchRadii(100)).toEqual([100]);
  });
});
