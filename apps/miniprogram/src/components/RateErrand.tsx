import { View, Text } from '@tarojs/components';
import { useState } from 'react';
import { RateBody } from '@linli/contracts';
import { ActionButton } from './ActionButton';

const THANKS = ['谢谢您！', '辛苦了！', '送得很快'];

/** Thank and rate in big taps: stars as large buttons, a ready-made thank-you. */
export function RateErrand({ busy, onRate }: { busy: boolean; onRate: (stars: number, comment?: string) => void }) {
  const [stars, setStars] = useState(5);
  const [comment, setComment] = useState<string | undefined>(THANKS[0]);
  const [error, setError] = useState<string | null>(null);

  function submit() {
    const parsed = RateBody.safeParse({ stars, comment });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? '请选择星级');
      return;
    }
    onRate(parsed.data.stars, parsed.data.comment);
  }

  return (
    <View className="card">
      <View className="title">给帮忙的人道声谢</View>
      <View className="choice-row" role="radiogroup" aria-label="评分">
        {[1, 2, 3, 4, 5].map((n) => (
          <View
            key={n}
            role="radio"
            aria-checked={n === stars}
            className={`choice ${n <= stars ? 'choice--on' : ''}`}
            onClick={() => setStars(n)}
          >
            {`${n}星`}
          </View>
        ))}
      </View>
      <View className="choice-row" style={{ marginTop: '12px' }}>
        {THANKS.map((t) => (
          <View key={t} className={`choice ${t === comment ? 'choice--on' : ''}`} onClick={() => setComment(t === comment ? undefined : t)}>
            {t}
          </View>
        ))}
      </View>
      {error ? <Text className="error-text">{error}</Text> : null}
      <View className="actions">
        <ActionButton type="primary" size="large" block busy={busy} onClick={submit}>
          送出感谢
        </ActionButton>
      </View>
    </View>
  );
}
