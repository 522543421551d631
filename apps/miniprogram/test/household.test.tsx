import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import HouseholdPage from '../src/pages/household/index';
import { fakeBff } from './support/fake-bff';
import { loggedIn, me } from './support/fixtures';
import { host } from './support/taro-fake';

const newcomer = me({ household: null, communityId: null, phone: null });
const compounds = {
  items: [
    {
      id: 1,
      name: '河畔花园',
      lockdown: 'closed',
      buildings: [
        { id: 2, name: '2号楼', floors: 6, hasLift: false },
        { id: 3, name: '3号楼', floors: 18, hasLift: true },
      ],
    },
  ],
};

beforeEach(() => {
  loggedIn('resident', newcomer);
  fakeBff.on('GET /me', [200, newcomer]);
  fakeBff.on('GET /communities', [200, { items: [{ id: 1, name: '河畔社区', street: '五里河街道', district: '沈河区' }] }]);
  fakeBff.on('GET /communities/1/compounds', [200, compounds]);
});

async function type(label: string, value: string) {
  // Taro's Input renders its inner <input> asynchronously: typing before it exists is lost.
  const field = await waitFor(() => {
    const el = screen.getByLabelText(label).querySelector('input');
    if (!el) throw new Error(`${label}: input not rendered yet`);
    return el;
  });
  fireEvent.input(field, { target: { value } });
}

describe('registering a household', () => {
  it('names every missing field in Chinese and sends nothing', async () => {
    render(<HouseholdPage />);
    fireEvent.click(await screen.findByText('保存住址'));
    expect(await screen.findByText('请选择楼栋')).toBeTruthy();
    expect(screen.getByText('请填写单元')).toBeTruthy();
    expect(screen.getByText('请填写楼层（数字）')).toBeTruthy();
    expect(screen.getByText('请输入11位手机号码')).toBeTruthy();
    expect(fakeBff.sent('PUT /me/household')).toEqual([]);
  });

  it('shows whether the building has a lift and saves compound, building, floor, room and flags (chronic medication among them)', async () => {
    fakeBff.on('PUT /me/household', [200, me().household]);
    render(<HouseholdPage />);
    fireEvent.click(await screen.findByText('河畔花园'));
    fireEvent.click(screen.getByText('2号楼'));
    expect(screen.getByText('2号楼共6层，没有电梯')).toBeTruthy();
    await type('单元', '1');
    await type('楼层', '6');
    await type('门牌号', '601');
    await type('手机号', '13800001111');
    fireEvent.click(screen.getByText('老人独居'));
    fireEvent.click(screen.getByText('需长期服药'));
    fireEvent.click(screen.getByText('保存住址'));
    await waitFor(() => expect(host.navigations).toEqual(['reLaunch /pages/home/index']));
    expect(fakeBff.sent('PUT /me/household')[0]?.body).toEqual({
      buildingId: 2,
      unit: '1',
      floor: 6,
      room: '601',
      contactName: '王秀兰',
      phone: '13800001111',
      elderlyAlone: true,
      disabled: false,
      postTreatment: false,
      chronicMedication: true,
      infants: false,
      pregnancy: false,
    });
  });
});
