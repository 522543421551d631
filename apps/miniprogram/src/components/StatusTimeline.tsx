import { View, Text } from '@tarojs/components';
import { Step, Steps } from '@nutui/nutui-react-taro';
import { STATUS_LABELS, type ErrandStatus, type ErrandView } from '@linli/contracts';
import { clockText } from '../lib/format';
import { reachedAt, timelineHistory } from '../lib/progress';

/** The path an errand normally takes, as the resident sees it. */
const PATH: { status: ErrandStatus; title: string }[] = [
  { status: 'pending', title: '已提交' },
  { status: 'accepted', title: '已接单' },
  { status: 'in_progress', title: '配送中' },
  { status: 'delivered', title: '已送达' },
  { status: 'completed', title: '已完成' },
];

/** While nobody has the errand yet, the first step says why it is waiting (接单 or 社区). */
const WAITING: readonly ErrandStatus[] = ['pending', 'offered', 'escalated'];

/** Which step of PATH an errand is on (1-based, as NutUI's Steps counts). */
export function stepOf(status: ErrandStatus): number {
  switch (status) {
    case 'pending':
    case 'offered':
    case 'escalated':
      return 1;
    case 'accepted':
      return 2;
    case 'in_progress':
      return 3;
    case 'delivered':
      return 4;
    case 'completed':
      return 5;
    case 'cancelled':
      return 0;
  }
}

/** Only the current attempt counts: after a release, 已接单 has not been reached (again) yet. */
function whenReached(errand: ErrandView, status: ErrandStatus): string {
  const submitted = errand.timeline.find((e) => e.from === null);
  const at = status === 'pending' ? (submitted?.at ?? null) : reachedAt(errand, status);
  return at ? clockText(at) : '';
}

/** Everything that happened, oldest first: the last line is the latest (not "now": it may be hours old), the others are history (grey). */
function History({ errand }: { errand: ErrandView }) {
  const entries = timelineHistory(errand);
  if (entries.length === 0) return null;
  return (
    <View className="timeline-history" aria-label="经过">
      <View className="field-label">经过</View>
      {entries.map((h, i) => (
        <View key={i} className={`timeline-entry ${h.current ? 'timeline-entry--current' : 'timeline-entry--past muted'}`}>
          <Text>{`${clockText(h.at)} ${h.text}`}</Text>
          {h.current ? <Text className="timeline-entry__now">（最新）</Text> : null}
        </View>
      ))}
    </View>
  );
}

export function StatusTimeline({ errand }: { errand: ErrandView }) {
  // Cancelled: no steps to show, only how it got there. Every page showing this already says
  // 已取消 in its heading (the resident's also in its status panel); a third time adds nothing.
  if (errand.status === 'cancelled') {
    return (
      <View className="card" aria-label="进度">
        <History errand={errand} />
      </View>
    );
  }
  return (
    <View className="card" aria-label="进度">
      <Steps value={stepOf(errand.status)} direction="vertical" status="dynamic">
        {PATH.map((step, index) => (
          <Step
            key={step.status}
            value={index + 1}
            title={step.title}
            description={index === 0 && WAITING.includes(errand.status) ? STATUS_LABELS[errand.status] : whenReached(errand, step.status)}
          />
        ))}
      </Steps>
      <History errand={errand} />
    </View>
  );
}
