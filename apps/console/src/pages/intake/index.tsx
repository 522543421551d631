import { useEffect, useRef, useState } from 'react';
import { Button, Card, Descriptions, Result, Steps, Tag } from 'antd';
import { STATUS_LABELS, type ErrandView, type HouseholdView } from '@linli/contracts';
import { HandoverCode } from '../../components/HandoverCode';
import { useSettled } from '../../components/settled';
import { useSession } from '../../session-context';
import { CallerErrandForm } from './CallerErrandForm';
import { CallerOpenErrands } from './CallerOpenErrands';
import { FLAG_LABELS, HouseholdFinder, doorText } from './HouseholdFinder';
import { RegisterHouseholdForm } from './RegisterHouseholdForm';

type Step =
  | { at: 'find' }
  | { at: 'register'; query: string }
  | { at: 'errand'; household: HouseholdView }
  | { at: 'done'; household: HouseholdView; errand: ErrandView };

const STEP_INDEX = { find: 0, register: 0, errand: 1, done: 2 } as const;

/**
 * 电话代下单: from the phone ringing to the errand dispatched without the mouse. Esc starts over
 * (the next call) from any step; the search box has the focus whenever a call begins.
 */
export default function IntakePage() {
  const { me } = useSession();
  const [step, setStep] = useState<Step>({ at: 'find' });
  const [call, setCall] = useState(0); // a new call remounts the finder, which focuses its box
  const nextCall = useRef<HTMLButtonElement>(null);

  const restart = () => {
    setStep({ at: 'find' });
    setCall((n) => n + 1);
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Esc in a dialog, a drawer or an open select closes that, not the call.
      if (e.key === 'Escape' && !document.querySelector('.ant-modal-wrap, .ant-drawer-open, .ant-select-open')) restart();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  // 接下一个电话 settles before it takes the focus or a press: with a quick answer, the tail of a
  // double Enter on the form would land on it and wipe the code the caller has not been told yet.
  const nextCallSettled = useSettled(step.at === 'done' ? step.errand : null);
  useEffect(() => {
    if (nextCallSettled) nextCall.current?.focus();
  }, [nextCallSettled]);

  const household = step.at === 'errand' || step.at === 'done' ? step.household : null;
  return (
    <Card title="电话代下单" extra={<span>Esc：重新开始（下一个来电）</span>}>
      <Steps
        size="small"
        current={STEP_INDEX[step.at]}
        items={[{ title: '找到住户' }, { title: '填写代办' }, { title: '已派单' }]}
        style={{ marginBottom: 16 }}
      />
      {household && (
        <Descriptions size="small" bordered column={4} style={{ marginBottom: 16 }} data-testid="intake-household">
          <Descriptions.Item label="住户">{household.contactName}</Descriptions.Item>
          <Descriptions.Item label="电话">{household.phone}</Descriptions.Item>
          <Descriptions.Item label="门牌">
            {household.compoundName} {doorText(household)}
          </Descriptions.Item>
          <Descriptions.Item label="情况">
            {Object.entries(FLAG_LABELS).map(([k, label]) =>
              household[k as keyof typeof FLAG_LABELS] ? (
                <Tag color="red" key={k}>
                  {label}
                </Tag>
              ) : null,
            )}
          </Descriptions.Item>
        </Descriptions>
      )}
      {step.at === 'find' && (
        <HouseholdFinder
          key={call}
          onPick={(h) => setStep({ at: 'errand', household: h })}
          onRegister={(query) => setStep({ at: 'register', query })}
        />
      )}
      {step.at === 'register' && me?.communityId && (
        <RegisterHouseholdForm
          communityId={me.communityId}
          query={step.query}
          onRegistered={(h) => setStep({ at: 'errand', household: h })}
          onCancel={restart}
        />
      )}
      {step.at === 'errand' && <CallerOpenErrands householdId={step.household.id} callerName={step.household.contactName} />}
      {step.at === 'errand' && (
        <CallerErrandForm
          household={step.household}
          onCreated={(errand) => setStep({ at: 'done', household: step.household, errand })}
          onCancel={restart}
        />
      )}
      {step.at === 'done' && (
        <Result
          status="success"
          title="已下单并派单"
          subTitle={`代办编号 ${step.errand.id} · ${STATUS_LABELS[step.errand.status]}${step.errand.helper ? ` · ${step.errand.helper.name}` : ''}`}
          extra={
            <Button ref={nextCall} type="primary" onClick={() => nextCallSettled && restart()}>
              接下一个电话（Enter）
            </Button>
          }
        >
          {/* A caller has no app to read it from: the helper at the door asks for it, so it is read out now. */}
          {step.errand.handoverCode && (
            <div style={{ textAlign: 'center' }}>
              <HandoverCode
                testId="intake-handover-code"
                code={step.errand.handoverCode}
                caption={<strong>{`请把交接码读给${step.household.contactName}听，请对方记下：`}</strong>}
                footnote="东西送到门口时，把这4位数说给送货人听，送货人才能确认送达。"
              />
            </div>
          )}
        </Result>
      )}
    </Card>
  );
}
