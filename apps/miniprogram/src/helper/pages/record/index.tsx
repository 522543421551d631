import { View, Text } from '@tarojs/components';
import { api } from '../../../api/client';
import { Page } from '../../../components/Page';
import { RemoteState } from '../../../components/RemoteState';
import { useRemote } from '../../../hooks/useRemote';
import { timeText } from '../../../lib/format';

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <View className="card row">
      <Text>{label}</Text>
      <Text className="title record-figure">{value}</Text>
    </View>
  );
}

/** The helper's service record: what they have done for their neighbours. */
export default function Record() {
  const record = useRemote(() => api.helperRecord());
  const r = record.data;
  return (
    <Page>
      <RemoteState loading={record.loading} error={record.error} onRetry={() => void record.reload()}>
        {r ? (
          <>
            <Figure label="已完成代办" value={`${r.completed} 单`} />
            <Figure label="正在进行" value={`${r.inProgress} 单`} />
            <Figure label="值守时长" value={`${r.hoursOnDuty.toFixed(1)} 小时`} />
            <Figure label="平均评分" value={r.averageStars === null ? '暂无' : `${r.averageStars.toFixed(1)} 星`} />
            <Figure label="收到感谢" value={`${r.thanks} 次`} />
            {r.since ? <View className="muted">{`自 ${timeText(r.since)} 起`}</View> : null}
          </>
        ) : null}
      </RemoteState>
    </Page>
  );
}
