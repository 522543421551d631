import { fireEvent, screen } from '@testing-library/react';
import { ErrandView, HouseholdMatchList } from '@linli/contracts';
import { errandView } from '../../../test/fixtures';
import { fakeBff, renderPage } from '../../../test/render-page';
import IntakePage from '.';

const household = {
  id: 11,
  communityId: 1,
  communityName: '河畔社区',
  compoundId: 1,
  compoundName: '河畔花园',
  compoundLockdown: 'closed',
  buildingId: 1,
  buildingName: '1号楼',
  hasLift: false,
  unit: '2',
  floor: 6,
  room: '602',
  contactName: '王秀兰',
  phone: '13812341234',
  elderlyAlone: true,
  disabled: false,
  postTreatment: false,
  openErrands: 0,
};

describe('电话代下单', () => {
  it('reads the handover code out to the caller once the errand is dispatched: they have no app to see it in', async () => {
    fakeBff([
      { path: /\/staff\/households\/search$/, schema: HouseholdMatchList, body: { items: [household] } },
      { method: 'POST', path: /\/staff\/households\/11\/errands$/, status: 201, schema: ErrandView, body: errandView() },
    ]);
    renderPage(<IntakePage />);
    fireEvent.change(screen.getByLabelText('搜索住户'), { target: { value: '王秀兰' } });
    fireEvent.keyDown(screen.getByLabelText('搜索住户'), { key: 'Enter', code: 'Enter', keyCode: 13 });
    fireEvent.click(await screen.findByTestId('household-option'));
    fireEvent.change(await screen.findByLabelText('物品'), { target: { value: '青菜 2' } });
    fireEvent.click(screen.getByText('下单并派单（Enter）'));
    const code = await screen.findByTestId('intake-handover-code');
    expect(code.textContent).toContain('请把交接码读给王秀兰听');
    expect(screen.getByLabelText('交接码 4821').textContent).toBe('4821');
  }, 90_000);
});
