import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Input, List, Space, Tag, Typography, type InputRef } from 'antd';
import type { HouseholdMatch } from '@linli/contracts';
import { searchHouseholds } from '../../api/desk';
import { messageOf } from '../../api/errors';
import { FLAG_LABELS } from '../../components/household-flags';

export function doorText(h: Pick<HouseholdMatch, 'buildingName' | 'unit' | 'room'>): string {
  return `${h.buildingName}${h.unit}单元${h.room}室`;
}

// Kept apart so the registry can name the flags without loading the hotline page's code.
export { FLAG_LABELS };

/**
 * Step 1 of a call: one search box (focused when the page opens). Enter searches; the first match
 * then has the focus (↑/↓ or Tab move, Enter picks); with no match, Enter registers the caller.
 */
export function HouseholdFinder(props: { onPick: (h: HouseholdMatch) => void; onRegister: (query: string) => void }) {
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<HouseholdMatch[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<InputRef>(null);
  const results = useRef<(HTMLButtonElement | null)[]>([]);
  const registerButton = useRef<HTMLButtonElement>(null);

  useEffect(() => box.current?.focus(), []);
  useEffect(() => {
    if (matches === null) return;
    if (matches.length > 0) results.current[0]?.focus();
    else registerButton.current?.focus();
  }, [matches]);

  const search = async () => {
    if (!query.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setMatches((await searchHouseholds(query.trim())).items);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const move = (from: number, by: number) => results.current[Math.max(0, Math.min((matches?.length ?? 1) - 1, from + by))]?.focus();

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Input.Search
        ref={box}
        aria-label="搜索住户"
        placeholder="姓名、手机号（或后4位）、门牌 楼-单元-室，回车搜索"
        size="large"
        value={query}
        loading={busy}
        enterButton="搜索"
        onChange={(e) => setQuery(e.target.value)}
        onSearch={() => void search()}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && matches?.length) {
            e.preventDefault();
            results.current[0]?.focus();
          }
        }}
      />
      {error && <Alert type="error" showIcon title={error} />}
      {matches && matches.length === 0 && (
        <Alert
          type="info"
          showIcon
          title={`没有找到“${query}”`}
          description="可能是第一次来电：按 Enter 直接登记这户住户。"
          action={
            <Button ref={registerButton} type="primary" onClick={() => props.onRegister(query.trim())}>
              登记新住户
            </Button>
          }
        />
      )}
      {matches && matches.length > 0 && (
        <>
          <List
            bordered
            size="small"
            dataSource={matches}
            renderItem={(h, i) => (
              <List.Item style={{ padding: 0 }}>
                <button
                  ref={(el) => {
                    results.current[i] = el;
                  }}
                  data-testid="household-option"
                  className="desk-pick"
                  onClick={() => props.onPick(h)}
                  onKeyDown={(e) => {
                    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                      e.preventDefault();
                      move(i, e.key === 'ArrowDown' ? 1 : -1);
                    }
                  }}
                >
                  <Space wrap>
                    <Typography.Text strong>{h.contactName}</Typography.Text>
                    <span>{h.phone}</span>
                    <span>
                      {h.compoundName} {doorText(h)}
                    </span>
                    {Object.entries(FLAG_LABELS).map(([k, label]) =>
                      h[k as keyof typeof FLAG_LABELS] ? (
                        <Tag color="red" key={k}>
                          {label}
                        </Tag>
                      ) : null,
                    )}
                    {h.openErrands > 0 && <Tag color="orange">{h.openErrands} 个代办未完成</Tag>}
                  </Space>
                </button>
              </List.Item>
            )}
          />
          <Button onClick={() => props.onRegister(query.trim())}>都不是，登记新住户</Button>
        </>
      )}
    </Space>
  );
}
