import type { SlaTier } from '@linli/contracts';

/** What the alarm needs of a board row. */
export interface AlarmFacts {
  id: string;
  sla: { tier: SlaTier; overdue: boolean };
}

/** An errand rings once when it first shows up red, and once more when it goes overdue. */
export function alarmKey(e: AlarmFacts): string | null {
  if (e.sla.overdue) return `${e.id}:overdue`;
  if (e.sla.tier === 'red') return `${e.id}:red`;
  return null;
}

/**
 * The keys on the board that nobody acknowledged yet. `acknowledged` grows as the desk presses 知道了;
 * on the first load everything already open counts as seen (the desk looks at the board anyway),
 * which the caller arranges by acknowledging the first load's keys.
 */
export function unacknowledged(items: AlarmFacts[], acknowledged: ReadonlySet<string>): string[] {
  return items.map(alarmKey).filter((k): k is string => k !== null && !acknowledged.has(k));
}

/** "1时05分", "12分03秒", "超时 3分10秒": the time left as the desk reads it. */
export function formatCountdown(secondsLeft: number | null): string {
  if (secondsLeft === null) return '—';
  const over = secondsLeft < 0;
  const s = Math.abs(Math.trunc(secondsLeft));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const text = h > 0 ? `${h}时${String(m).padStart(2, '0')}分` : `${m}分${String(sec).padStart(2, '0')}秒`;
  return over ? `超时 ${text}` : text;
}

/**
 * Rings until stopped: a short beep through WebAudio every 2 s and the tab title flashing, so a
 * desk on another tab or across the room notices. Browsers allow sound only after the page had a
 * user gesture; the login click or any key press gives it, and a blocked beep is just silent.
 */
export class Ringer {
  private timer: ReturnType<typeof setInterval> | undefined;
  private audio: AudioContext | null = null;
  private baseTitle = '';
  private flip = false;

  get ringing(): boolean {
    return this.timer !== undefined;
  }

  start(label: string): void {
    if (this.timer !== undefined) return;
    this.baseTitle = document.title;
    const tick = () => {
      this.flip = !this.flip;
      document.title = this.flip ? `【${label}】${this.baseTitle}` : this.baseTitle;
      if (this.flip) this.beep();
    };
    tick();
    this.timer = setInterval(tick, 1_000);
  }

  stop(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    document.title = this.baseTitle;
  }

  private beep(): void {
    try {
      const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
      if (!Ctx) return;
      this.audio ??= new Ctx();
      const osc = this.audio.createOscillator();
      const gain = this.audio.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.2;
      osc.connect(gain).connect(this.audio.destination);
      osc.start();
      osc.stop(this.audio.currentTime + 0.25);
    } catch {
      // No audio device or not allowed yet: the title still flashes.
    }
  }
}
