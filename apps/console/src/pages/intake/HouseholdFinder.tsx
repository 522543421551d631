import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Input, List, Space, Tag, Typography, type InputRef } from 'antd';
import type { HouseholdMatch } from '@linli/contracts';
import { searchHouseholds } from '../../api/desk';
import { messageOf } from '../../api/errors';
import { FLAG_LABELS } from '../../components/household-flags';
import { useSettled } from '../../components/settled';

export function doorText(h: Pick<HouseholdMatch, 'buildingName' | 'unit' | 'room'>): string {
  return `${h.buildingName}${h.unit}单元${h.room}室`;
}

// Kept apart so the registry can name the flags without loading the hotline page's code.
export { FLAG_LABELS };

/**
 * Step 1 of a call: one search box (focused when the page opens). Enter searches; the first match
 * then has the focus (of several, once the list has settled; ↑/↓ or Tab move, Enter picks); with no
 * match, Enter registers the caller.
 */
export function HouseholdFinder(props: { onPick: (h: HouseholdMatch) => void; onRegister: (query: string) => void }) {
  const [query, setQuery] = useState('');
  /** The answer to the last search, with the words it was for. */
  const [found, setFound] = useState<{ words: string; matches: HouseholdMatch[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef<AbortController | null>(null);
  const box = useRef<InputRef>(null);
  const results = useRef<(HTMLButtonElement | null)[]>([]);
  const registerButton = useRef<HTMLButtonElement>(null);

  const matches = found?.matches ?? null;
  useEffect(() => {
    box.current?.focus();
    return () => inFlight.current?.abort();
  }, []);
  useEffect(() => {
    if (matches?.length === 0) registerButton.current?.focus();
    else if (matches?.length === 1) results.current[0]?.focus();
  }, [matches]);
  // Of several, the first takes the focus once the list has settled, so the tail of a double Enter
  // (search, then pick) does not pick it unseen; ↓ in the box gets there at once.
  const severalSettled = useSettled(matches && matches.length > 1 ? matches : null);
  useEffect(() => {
    if (severalSettled && document.activeElement === box.current?.input) results.current[0]?.focus();
  }, [severalSettled]);

  // A corrected search (a typo caught while the first was on its way) replaces the first: the
  // caller is on the line, so Enter is never ignored and a late answer never lands over a newer one.
  const search = async () => {
    const words = query.trim();
    if (!words) return;
    inFlight.current?.abort();
    const mine = new AbortController();
    inFlight.current = mine;
    setBusy(true);
    setError(null);
    try {
      const { items } = await searchHouseholds(words, mine.signal);
      if (!mine.signal.aborted) setFound({ words, matches: items });
    } catch (e) {
      if (!mine.signal.aborted) setError(messageOf(e));
    } finally {
      if (inFlight.current === mine) {
        inFlight.current = null;
        setBusy(false);
      }
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
        // Not the box's own `loading`: antd's Search ignores Enter while it is set.
        enterButton={
          <Button type="primary" loading={busy} aria-busy={busy}>
            搜索
          </Button>
        }
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
          title={`没有找到“${found!.words}”`}
          description="可能是第一次来电：按 Enter 直接登记这户住户。"
          action={
            <Button ref={registerButton} type="primary" onClick={() => props.onRegister(found!.words)}>
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
          <Button onClick={() => props.onRegister(found!.words)}>都不是，登记新住户</Button>
        </>
      )}
    </Space>
  );
}
