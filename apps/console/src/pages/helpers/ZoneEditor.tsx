import { useEffect, useState } from 'react';
import { App, Button, Checkbox, Input, Space, Spin, Typography } from 'antd';
import { routes, STAFF_ROUTES, type CompoundList } from '@linli/contracts';
import type { z } from 'zod';
import { callRoute } from '../../api/client';
import { messageOf } from '../../api/errors';
import { LoadError } from '../../components/LoadError';
import { useSingleFlight } from '../../components/single-flight';
import { useSession } from '../../session-context';

type Compound = z.infer<typeof CompoundList>['items'][number];

/**
 * The compound's buildings as a grid of toggles, one block per compound: the desk sees the whole
 * community at once and ticks the buildings a helper answers for. Saving replaces the zone (audited).
 */
export function ZoneEditor({
  helper,
  onSaved,
}: {
  helper: { id: number; name: string; zoneBuildingIds: readonly number[] };
  onSaved(buildingIds: number[]): void;
}) {
  const { me } = useSession();
  const { message } = App.useApp();
  const [compounds, setCompounds] = useState<Compound[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Starts from the zone the helper has: saving replaces it, so what is not ticked is given up.
  const [chosen, setChosen] = useState<Set<number>>(() => new Set(helper.zoneBuildingIds));
  const [reason, setReason] = useState('');
  const saving = useSingleFlight();

  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    if (!me?.communityId) return;
    setError(null);
    callRoute(routes.compounds, { params: { id: me.communityId } })
      .then((list) => setCompounds(list.items))
      .catch((e: unknown) => setError(messageOf(e)));
  }, [me?.communityId, reloads]);

  const toggle = (id: number) =>
    setChosen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const save = () =>
    saving.run(async () => {
      try {
        const saved = await callRoute(STAFF_ROUTES.setHelperZones, {
          params: { id: helper.id },
          body: { buildingIds: [...chosen], ...(reason ? { reason } : {}) },
        });
        message.success(`已保存：${helper.name} 负责 ${saved.buildingIds.length} 栋楼`);
        onSaved(saved.buildingIds);
      } catch (e) {
        message.error(`没有保存：${messageOf(e)}`);
      }
    });

  if (error) return <LoadError message={error} onRetry={() => setReloads((n) => n + 1)} />;
  if (!compounds) return <Spin description="正在加载楼栋…" />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">勾选要负责的楼栋；保存后替换原来的负责范围。</Typography.Text>
      {compounds.map((c) => (
        <div key={c.id}>
          <Typography.Text strong>{c.name}</Typography.Text>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(6, 1fr)', gap: 6, marginTop: 6 }}>
            {c.buildings.map((b) => (
              <Checkbox key={b.id} checked={chosen.has(b.id)} onChange={() => toggle(b.id)}>
                {b.name}
              </Checkbox>
            ))}
          </div>
        </div>
      ))}
      <Input placeholder="调整原因（选填，会记入操作日志）" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
      <Button type="primary" disabled={chosen.size === 0} loading={saving.busy} onClick={() => void save()}>
        {chosen.size === 0 ? '请至少选择一栋楼' : `保存（${chosen.size} 栋）`}
      </Button>
    </Space>
  );
}
