import { doorOf, parseItems } from './items';

describe('typing a caller’s items', () => {
  it('splits on Chinese and ASCII separators and reads quantities and units', () => {
    expect(parseItems('桶装水 2，大米 1袋、酱油')).toEqual([
      { name: '桶装水', quantity: 2 },
      { name: '大米', quantity: 1, unit: '袋' },
      { name: '酱油', quantity: 1 },
    ]);
    expect(parseItems('降压药x3盒; 口罩')).toEqual([
      { name: '降压药', quantity: 3, unit: '盒' },
      { name: '口罩', quantity: 1 },
    ]);
    expect(parseItems(' ，、 ')).toEqual([]);
  });

  it('reads a door from the search box', () => {
    expect(doorOf('3-2-301')).toEqual({ building: '3', unit: '2', room: '301' });
    expect(doorOf('3号楼-2单元-301室')).toEqual({ building: '3', unit: '2', room: '301' });
    expect(doorOf('王秀兰')).toBeNull();
  });
});
