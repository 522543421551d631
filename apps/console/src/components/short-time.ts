/** Month, day and time of day (11/30 14:05): when an errand was made or moved, as the desk reads it. */
export const shortTime = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { hour12: false, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
