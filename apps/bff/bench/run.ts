// `npm run bench`: every benchmark in one run, printed as Markdown tables with the machine.
// Run by hand (or CI's optional step), never as a test. Takes a few minutes.
import { benchAcceptRace } from './accept-race';
import { machine } from './common';
import { benchCreate } from './create';
import { benchExport } from './export';
import { benchGcBursts } from './gc-bursts';
import { benchLiveFanout } from './live-fanout';
import { benchOpenLoop } from './open-loop';
import { benchQueue } from './queue';
import { benchSearch } from './search';
import { benchStats } from './stats';
import { benchSweeper } from './sweeper';

async function main(): Promise<void> {
  const only = process.argv[2];
  console.log(`Machine: ${machine()}\nDate: ${new Date().toISOString()}\n`);
  if (!only || only === 'search') {
    const { report } = await benchSearch([1000, 10000, 100000]);
    console.log(`## Candidate search\n\n${report}\n`);
  }
  if (!only || only === 'create') {
    const { report, statements } = await benchCreate();
    console.log(`## Create errand (${statements} round trips to MySQL per create)\n\n${report}\n`);
  }
  if (!only || only === 'open-loop') {
    const { report } = await benchOpenLoop();
    console.log(`## Create errand at fixed rates (open loop), 1 process vs one per core\n\n${report}\n`);
  }
  if (!only || only === 'bursts') {
    const { report } = await benchGcBursts();
    console.log(`## Where the open loop's slow answers come from\n\n${report}\n`);
  }
  if (!only || only === 'race') {
    const { report } = await benchAcceptRace();
    console.log(`## Accept race\n\n${report}\n`);
  }
  if (!only || only === 'live') {
    const { report } = await benchLiveFanout();
    console.log(`## Live events to 5,000 sockets\n\n${report}\n`);
  }
  if (!only || only === 'queue') {
    const { report } = await benchQueue();
    console.log(`## Staff queue\n\n${report}\n`);
  }
  if (!only || only === 'stats') {
    const { report } = await benchStats();
    console.log(`## Statistics over 1,000,000 errands\n\n${report}\n`);
  }
  if (!only || only === 'export') {
    const { report } = await benchExport();
    console.log(`## Exports\n\n${report}\n`);
  }
  if (!only || only === 'history') {
    const { report } = await benchQueue(100_000, 1_000_000);
    console.log(`## Staff queue and history (open and closed)\n\n${report}\n`);
  }
  if (!only || only === 'sweeper') {
    const { report } = await benchSweeper();
    console.log(`## Deadline sweeper\n\n${report}\n`);
  }
}

main()
  .then(() => process.exit(0))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
