import type { ReactElement } from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App, App as AntApp, Button } from 'antd';
import { useConfirmOnce, useSingleFlight } from './single-flight';

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function Saver({ action }: { action: () => Promise<void> }) {
  const { busy, run } = useSingleFlight();
  return (
    <Button loading={busy} onClick={() => void run(action)}>
      保存区域
    </Button>
  );
}

function Asker({ action }: { action: () => Promise<void> }) {
  const confirmOnce = useConfirmOnce();
  return (
    <Button onClick={() => confirmOnce({ title: '确认修改？', okText: '确认修改', cancelText: '再想想', onOk: action })}>修改管控</Button>
  );
}

const inApp = (node: ReactElement) => render(<AntApp>{node}</AntApp>);

afterEach(() => jest.restoreAllMocks());

describe('single flight', () => {
  it('drops a second click while the first change is on its way, and takes the next one after', async () => {
    const first = deferred();
    const action = jest.fn(() => first.promise);
    inApp(<Saver action={action} />);
    const button = screen.getByRole('button');
    fireEvent.click(button);
    fireEvent.click(button);
    expect(action).toHaveBeenCalledTimes(1);
    await act(async () => first.resolve());
    action.mockImplementation(async () => undefined);
    fireEvent.click(button);
    await waitFor(() => expect(action).toHaveBeenCalledTimes(2));
  });

  it('opens one confirmation for a double click and acts once for a double click on its OK', async () => {
    const answer = deferred();
    const action = jest.fn(() => answer.promise);
    inApp(<Asker action={action} />);
    const opener = screen.getByText('修改管控');
    fireEvent.click(opener);
    fireEvent.click(opener);
    await screen.findByText('确认修改');
    expect(document.querySelectorAll('.ant-modal-confirm')).toHaveLength(1);
    const ok = screen.getByText('确认修改').closest('button')!;
    fireEvent.click(ok);
    fireEvent.click(ok);
    await act(async () => answer.resolve());
    expect(action).toHaveBeenCalledTimes(1);
  });

  it('acts once when the OK fires again after the answer came (antd lets a click through while the dialog zooms out)', async () => {
    const confirm = jest.fn();
    jest.spyOn(App, 'useApp').mockReturnValue({ modal: { confirm } } as unknown as ReturnType<typeof App.useApp>);
    const action = jest.fn(async () => undefined);
    render(<Asker action={action} />);
    fireEvent.click(screen.getByText('修改管控'));
    const { onOk } = confirm.mock.calls[0]![0] as { onOk: () => Promise<void> };
    await onOk();
    await onOk();
    expect(action).toHaveBeenCalledTimes(1);
  });

  it('asks again once the confirmation has closed', async () => {
    const action = jest.fn(async () => undefined);
    inApp(<Asker action={action} />);
    fireEvent.click(screen.getByText('修改管控'));
    fireEvent.click(screen.getByText('再想想'));
    await waitFor(() => expect(document.querySelector('.ant-modal-confirm')).toBeNull());
    fireEvent.click(screen.getByText('修改管控'));
    fireEvent.click(await screen.findByText('确认修改'));
    await waitFor(() => expect(action).toHaveBeenCalledTimes(1));
  });
});
