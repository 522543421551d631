import { useState } from 'react';
import { Alert, App, Button, Input, Modal, Space } from 'antd';
import { CATEGORY_LABELS, availableTransitions, type ErrandView } from '@linli/contracts';
import { cancelErrandAsStaff, confirmDeliveredForHelper, confirmReceivedForResident } from '../api/desk';
import { messageOf } from '../api/errors';
import { AssignDialog } from './AssignDialog';
import { useSingleFlight } from './single-flight';

type StepIn = 'deliver' | 'confirm' | 'cancel';

interface StepText {
  button: string;
  title: string;
  /** What to check first and what cannot be undone. */
  warning: (e: ErrandView, resident: string) => string;
  ok: string;
  /** Asks for a reason (kept in the timeline and the audit log). */
  reason: string | null;
  done: string;
}

const STEPS: Record<StepIn, StepText> = {
  deliver: {
    button: '代确认送达',
    title: '替送货人确认送达',
    warning: (e, resident) =>
      `请先打电话向${resident}核实东西已经送到。送货人交接码输错太多次、或住户说不出交接码时用。确认后这单算送达${e.helper ? `，${e.helper.name}这单就办完了` : ''}。`,
    ok: '确认送达',
    reason: '例如：已电话核实，东西已送到',
    done: '已确认送达',
  },
  confirm: {
    button: '代确认收到',
    title: '替住户确认收到',
    warning: (_e, resident) => `请先打电话向${resident}核实已经收到东西。住户没有手机确认时用。确认后这单完成，不能再改。`,
    ok: '确认收到',
    reason: null,
    done: '已确认收到，这单完成了',
  },
  cancel: {
    button: '取消代办',
    title: '取消这单',
    warning: (e, resident) => `取消后不能恢复。${e.helper ? `${e.helper.name}不用再送，会收到通知；` : ''}${resident}会看到已取消。`,
    ok: '确定取消',
    reason: '例如：住户来电说不需要了',
    done: '已取消',
  },
};

const CALLS: Record<StepIn, (id: string, reason: string) => Promise<ErrandView>> = {
  deliver: confirmDeliveredForHelper,
  confirm: (id) => confirmReceivedForResident(id),
  cancel: cancelErrandAsStaff,
};

/**
 * Staff stepping in on one errand: assign or reassign it (the board's dialog, so a caller whose
 * helper never came is helped without leaving the call), cancel it for a caller who no longer needs it, confirm its
 * delivery when the helper's code entry is locked (five wrong codes) or the resident cannot say
 * it, confirm its receipt for a resident without the app. Each asks first, names what to check,
 * and sends once however often OK is pressed.
 */
export function ErrandStepIn({
  errand,
  onDone,
  onAssigned,
}: {
  errand: ErrandView;
  onDone: (next: ErrandView) => void;
  /** The assign dialog answers no view: the errand is to be read again. */
  onAssigned: () => void;
}) {
  const { message } = App.useApp();
  const [open, setOpen] = useState<StepIn | null>(null);
  const [assigning, setAssigning] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const sending = useSingleFlight();
  const can = availableTransitions('staff', errand.status);
  const steps = (['deliver', 'confirm', 'cancel'] as const).filter((s) => can.includes(s));
  const canAssign = can.includes('assign');
  if (steps.length === 0 && !canAssign) return null;
  const resident = errand.address?.contactName ?? '住户';
  const text = open ? STEPS[open] : null;

  const start = (step: StepIn) => {
    setOpen(step);
    setReason('');
    setError(null);
  };
  const submit = () =>
    sending.run(async () => {
      if (!open || !text) return;
      if (text.reason !== null && reason.trim().length < 2) {
        setError('请填写原因（至少2个字），会记入这单的经过和操作日志');
        return;
      }
      setError(null);
      try {
        const next = await CALLS[open](errand.id, reason.trim());
        setOpen(null);
        void message.success(text.done);
        onDone(next);
      } catch (e) {
        setError(messageOf(e));
      }
    });

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }} data-testid="errand-step-in">
        {canAssign && <Button onClick={() => setAssigning(true)}>{errand.helper ? '改派' : '派单'}</Button>}
        {steps.map((s) => (
          <Button key={s} danger={s === 'cancel'} onClick={() => start(s)}>
            {STEPS[s].button}
          </Button>
        ))}
      </Space>
      <AssignDialog
        target={
          assigning
            ? {
                id: errand.id,
                title: `${errand.place.buildingName}${errand.address ? `-${errand.address.unit}-${errand.address.room}` : ''} ${resident} · ${CATEGORY_LABELS[errand.category]}`,
                helperName: errand.helper?.name ?? null,
              }
            : null
        }
        onClose={(assigned) => {
          setAssigning(false);
          if (assigned) onAssigned();
        }}
      />
      <Modal
        open={open !== null}
        title={text?.title}
        okText={text?.ok}
        okButtonProps={{ danger: open === 'cancel' }}
        cancelText="再想想"
        confirmLoading={sending.busy}
        onOk={() => void submit()}
        onCancel={() => setOpen(null)}
        destroyOnHidden
      >
        {text && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Alert type="warning" showIcon title={text.warning(errand, resident)} />
            {text.reason !== null && (
              <Input
                aria-label="原因"
                autoFocus
                placeholder={text.reason}
                maxLength={100}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                onPressEnter={() => void submit()}
              />
            )}
            {error && <Alert type="error" showIcon title={error} />}
          </Space>
        )}
      </Modal>
    </>
  );
}
