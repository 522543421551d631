import { parseSearch } from './search';

describe('what staff type in the history search', () => {
  it('four digits are the end of a phone number', () => {
    expect(parseSearch(' 1234 ')).toEqual({ kind: 'phone', last4: '1234' });
  });

  it('a door is read in its usual spellings', () => {
    for (const q of ['3-2-601', '3号楼2单元601', '3栋2单元601室', '3 - 2 - 601']) {
      const parsed = parseSearch(q);
      expect(parsed.kind).toBe('door');
      if (parsed.kind !== 'door') continue;
      expect(parsed.door.buildingNames).toContain('3号楼');
      expect(parsed.door.units).toEqual(['2', '2单元']);
      expect(parsed.door.rooms).toEqual(['601', '601室']);
    }
  });

  it('an errand id is looked up exactly, a name by its beginning', () => {
    expect(parseSearch('AbCdEfGhIjKlMnOpQrSt-1')).toEqual({ kind: 'errand', publicId: 'AbCdEfGhIjKlMnOpQrSt-1' });
    expect(parseSearch('王')).toEqual({ kind: 'name', prefix: '王' });
    expect(parseSearch('12345')).toEqual({ kind: 'name', prefix: '12345' });
  });
});
