import { maskName, maskPhone } from './masking';

describe('maskPhone', () => {
  it('keeps the first three and last four digits of a mobile number', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
  });
  it('masks landlines of other lengths in the middle', () => {
    expect(maskPhone('02431209211')).toBe('024****9211');
    expect(maskPhone('024312092')).toBe('024**2092');
  });
  it('masks very short numbers entirely rather than leak them', () => {
    expect(maskPhone('12345')).toBe('*****');
  });
  it('passes through a missing number as null', () => {
    expect(maskPhone(null)).toBeNull();
    expect(maskPhone('')).toBeNull();
  });
});

describe('maskName', () => {
  it('keeps only the family name', () => {
    expect(maskName('王秀兰')).toBe('王**');
    expect(maskName('李明')).toBe('李*');
  });
});
