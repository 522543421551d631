import { fireEvent, screen, waitFor } from '@testing-library/react';
import { fakeBff, renderPage } from '../../test/render-page';
import { ListToolbar } from './ListToolbar';

describe('list toolbar', () => {
  it('exports the list through the BFF in one click and copies the group text', async () => {
    const calls = fakeBff([
      {
        path: /\/staff\/exports\/errands\.csv$/,
        text: true,
        body: '\ufeff编号,状态\nE000001,等待派单\n',
        headers: {
          'content-disposition': `attachment; filename="errands.csv"; filename*=UTF-8''${encodeURIComponent('河畔社区代办.csv')}`,
        },
      },
      { path: /\/staff\/exports\/wechat-group\.txt$/, text: true, body: '3号楼 6层 米面粮油 等了20分钟\n3号楼 2层 药品 等了5分钟\n' },
    ]);
    const writeText = jest.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    URL.createObjectURL = jest.fn(() => 'blob:x');
    URL.revokeObjectURL = jest.fn();
    const downloads: string[] = [];
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    });
    renderPage(<ListToolbar baseName="代办" exportQuery={{ state: 'open', compoundId: 2 }} group={{ compoundId: 2 }} />);
    fireEvent.click(screen.getByText('导出 CSV'));
    expect(await screen.findByText('已导出 CSV，请在浏览器的下载列表里查看')).toBeTruthy();
    expect(downloads).toEqual(['河畔社区代办.csv']);
    const exported = calls.find((c) => c.url.pathname.endsWith('errands.csv'))!;
    expect(Object.fromEntries(exported.url.searchParams)).toEqual({ state: 'open', compoundId: '2' });
    expect((exported.init.headers as Headers).get('authorization')).toMatch(/^Bearer /);
    fireEvent.click(screen.getByText('复制到群'));
    expect(await screen.findByText('已复制 2 行，请到微信群里粘贴')).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(expect.stringContaining('3号楼 6层'));
  }, 90_000);

  it('says what to do when the export fails, and hides 复制到群 from read-only roles', async () => {
    fakeBff([{ path: /\/staff\/exports\/errands\.xlsx$/, status: 403, body: { error: { code: 'FORBIDDEN', message: 'forbidden' } } }]);
    renderPage(<ListToolbar baseName="代办" exportQuery={{}} group={null} />, ['resident', 'street_staff']);
    expect(screen.queryByText('复制到群')).toBeNull();
    fireEvent.click(screen.getByText('导出 Excel'));
    await waitFor(() => expect(screen.getByText(/导出失败：您的账号没有这项权限/)).toBeTruthy());
  }, 90_000);
});
