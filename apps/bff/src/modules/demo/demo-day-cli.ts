// `npm run demo:day` (with `npm start` running): plays a day of the demo district through the
// BFF's own routes, so that a fresh demo's desk shows lists, roll-ups and charts rather than
// empty tables. The console's browser suite plays the same day before it opens every desk page.
import { routes } from '@linli/contracts';
import { DemoApi } from './demo-day';

const baseUrl = process.argv[2] ?? 'http://127.0.0.1:3000';

async function main(): Promise<number> {
  const api = new DemoApi(baseUrl, (what) => console.log(`  ${what}`));
  let staff: string;
  try {
    staff = await api.login('demo-staff-1', 'staff');
  } catch (e) {
    console.error(`No demo BFF with dev login answers at ${baseUrl} (start it with \`npm start\`): ${(e as Error).message}`);
    return 1;
  }
  // Played twice, residents would reach their households' cap of open errands half way through.
  const { counts } = await api.call(routes.staffErrands, { token: staff, query: { limit: 1 } });
  if (counts.total > 0) {
    console.log(`河畔社区 already has ${counts.total} errands: a day is played on a fresh demo only.`);
    console.log('To start afresh, stop the demo, delete apps/bff/.data and run `npm start` again.');
    return 0;
  }
  console.log(`Playing a day of the demo district at ${baseUrl} …`);
  const made = await api.playDay();
  console.log(`Done: ${made} errands (some finished and thanked, some in hand, some waiting) and two 包保 visits.`);
  console.log(`The desk: ${baseUrl}/console/ (张敏 for 河畔社区, 刘芳 for 五里河街道, 陈志刚 for 沈河区).`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
