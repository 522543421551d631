import { useEffect, useState } from 'react';
import { Alert, Descriptions, Drawer, Spin, Tag, Timeline, Typography } from 'antd';
import {
  CATEGORY_LABELS,
  HELPER_KIND_LABELS,
  STATUS_LABELS,
  URGENCY_LABELS,
  itemsText,
  type ErrandView,
  type TimelineEntry,
} from '@linli/contracts';
import { fetchErrand } from '../api/desk';
import { HandoverCode } from './HandoverCode';
import { messageOf } from '../api/errors';
import { shortTime as time } from './short-time';
import { ErrandStepIn } from './ErrandStepIn';
import { readWhileCurrent } from './ordered-reads';
import { useSession } from '../session-context';

const ACTOR_LABELS: Record<TimelineEntry['actorRole'], string> = { resident: '居民', helper: '送货人', staff: '社区', system: '系统' };

/**
 * One errand in full, beside the board or the hotline: what, where, who brings it, its history, and the handover
 * code, which a resident who phones to ask (an errand taken by phone, a code forgotten) is told.
 * Read again whenever the board reloads (`version`), so it follows live changes. Community staff
 * step in from here (cancel, confirm a delivery or a receipt); `onChanged` tells the page.
 */
export function ErrandDrawer({
  errandId,
  version,
  onClose,
  onChanged,
}: {
  errandId: string | null;
  version: number;
  onClose: () => void;
  onChanged?: () => void;
}) {
  const { access } = useSession();
  const [errand, setErrand] = useState<ErrandView | null>(null);
  const [reread, setReread] = useState(0); // after an assignment, which answers no view
  // Whose load failed: opening another errand must not show the last one's error. A failed re-read
  // keeps what is shown.
  const [error, setError] = useState<{ id: string; message: string } | null>(null);

  useEffect(() => {
    if (!errandId) return;
    return readWhileCurrent((signal) => fetchErrand(errandId, signal), {
      answer: (e) => {
        setErrand(e);
        setError(null);
      },
      failure: (e) => setError({ id: errandId, message: messageOf(e) }),
    });
  }, [errandId, version, reread]);

  const shown = errand && errand.id === errandId ? errand : null;
  const failed = !shown && error?.id === errandId ? error.message : null;
  return (
    <Drawer
      open={errandId !== null}
      onClose={onClose}
      size={520}
      title={shown ? `${CATEGORY_LABELS[shown.category]} · ${STATUS_LABELS[shown.status]}` : '代办详情'}
    >
      {failed && <Alert type="error" showIcon title={failed} style={{ marginBottom: 12 }} />}
      {!shown && !failed && <Spin description="正在加载…" />}
      {shown && access?.can('stepIn') && (
        <ErrandStepIn
          errand={shown}
          onDone={(next) => {
            setErrand(next);
            onChanged?.();
          }}
          onAssigned={() => {
            setReread((n) => n + 1);
            onChanged?.();
          }}
        />
      )}
      {shown && <ErrandDetails errand={shown} />}
    </Drawer>
  );
}

function ErrandDetails({ errand: e }: { errand: ErrandView }) {
  const open = e.status !== 'completed' && e.status !== 'cancelled';
  return (
    <>
      {e.handoverCode && open && (
        <div style={{ marginBottom: 16 }}>
          <HandoverCode testId="errand-handover-code" code={e.handoverCode} caption="交接码（住户来电问起时告诉住户）" />
        </div>
      )}
      <Descriptions column={1} size="small" bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label="物品">{itemsText(e.items)}</Descriptions.Item>
        <Descriptions.Item label="要求">
          {URGENCY_LABELS[e.urgency]}
          {e.heavy && <Tag style={{ marginLeft: 8 }}>重物</Tag>}
          {e.vulnerable && <Tag color="magenta">重点人群</Tag>}
          {e.window && ` · ${time(e.window.start)}–${time(e.window.end)}`}
        </Descriptions.Item>
        {e.notes && <Descriptions.Item label="备注">{e.notes}</Descriptions.Item>}
        <Descriptions.Item label="住址">
          {`${e.place.compoundName} ${e.place.buildingName}${e.address ? ` ${e.address.unit}单元 ${e.address.room}` : ''} · ${e.place.floor}楼${e.place.hasLift ? '' : '（无电梯）'}`}
        </Descriptions.Item>
        {e.address && <Descriptions.Item label="联系人">{`${e.address.contactName} ${e.address.phone}`}</Descriptions.Item>}
        <Descriptions.Item label="送货人">
          {e.helper
            ? `${e.helper.name}（${HELPER_KIND_LABELS[e.helper.kind]}）${e.helper.phone ? ` ${e.helper.phone}` : ''}`
            : '还没有人接'}
        </Descriptions.Item>
        <Descriptions.Item label="提交">{`${time(e.createdAt)}${e.onBehalf ? ' · 代下单' : ''}`}</Descriptions.Item>
        {e.rating && (
          <Descriptions.Item label="评价">{`${e.rating.stars}星${e.rating.comment ? ` · ${e.rating.comment}` : ''}`}</Descriptions.Item>
        )}
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        经过
      </Typography.Title>
      <Timeline
        items={e.timeline.map((t) => ({
          content: `${time(t.at)} ${ACTOR_LABELS[t.actorRole]}：${t.note ?? STATUS_LABELS[t.to]}`,
        }))}
      />
    </>
  );
}
