import { distanceMeters } from './domain';

describe('distanceMeters', () => {
  it('is zero for the same point and symmetric', () => {
    const a = { lat: 41.7745, lng: 123.431 };
    const b = { lat: 41.7801, lng: 123.4402 };
    expect(distanceMeters(a, a)).toBe(0);
    expect(distanceMeters(a, b)).toBe(distanceMeters(b, a));
  });

  it('measures about 111 km per degree of latitude', () => {
    expect(distanceMeters({ lat: 41, lng: 123 }, { lat: 42, lng: 123 })).toBeGreaterThan(111_000);
    expect(distanceMeters({ lat: 41, lng: 123 }, { lat: 42, lng: 123 })).toBeLessThan(111_400);
  });
});
