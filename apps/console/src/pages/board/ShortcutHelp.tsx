import { Descriptions } from 'antd';

export type BoardAction = 'down' | 'up' | 'assign' | 'details' | 'acknowledge' | 'refresh' | 'tier' | 'help';

/** The board's keys: one table drives both the handler and the ? help dialog. */
export const SHORTCUTS: { keys: string[]; label: string; action: BoardAction }[] = [
  { keys: ['j', 'ArrowDown'], label: 'J / ↓', action: 'down' },
  { keys: ['k', 'ArrowUp'], label: 'K / ↑', action: 'up' },
  { keys: ['p', 'Enter'], label: 'P / Enter', action: 'assign' },
  { keys: ['d'], label: 'D', action: 'details' },
  { keys: ['a'], label: 'A', action: 'acknowledge' },
  { keys: ['r'], label: 'R', action: 'refresh' },
  { keys: ['t'], label: 'T', action: 'tier' },
  { keys: ['?'], label: '?', action: 'help' },
];

const MEANING: Record<BoardAction, string> = {
  down: '下一条',
  up: '上一条',
  assign: '给选中的代办派单或改派（在对话框里 ↑/↓ 选人，Enter 确认）',
  details: '查看选中代办的详情（物品、住址、送货人、经过、交接码）',
  acknowledge: '知道了：停止响铃',
  refresh: '立即刷新',
  tier: '切换显示：全部 → 红 → 黄 → 蓝',
  help: '打开这份说明',
};

export function ShortcutHelp() {
  return (
    <Descriptions column={1} size="small" bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
      {SHORTCUTS.map((s) => (
        <Descriptions.Item key={s.action} label={s.label}>
          {MEANING[s.action]}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}
