import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { queueWorker } from '@backtest/api';
import type { CommandIO } from './io';

interface WorkerFlags {
  queue?: string;
  concurrency?: number;
}

/** `backtest worker --queue URL`: runs the walk-forwards a `compare --queue` puts on a Redis, until stopped. */
export function workerCommand(io: CommandIO): CommandModule<object, WorkerFlags> {
  return {
    command: 'worker',
    describe: 'Run the walk-forwards of compare --queue sweeps from a Redis, until SIGINT or SIGTERM',
    builder: (y: Argv) =>
      y
        .option('queue', { type: 'string', demandOption: true, describe: 'the Redis the sweeps use (redis://HOST:PORT)' })
        .option('concurrency', { type: 'number', default: 1, describe: 'jobs at a time, each in a child process (one per core is the most that helps)' })
        .example('$0 worker --queue redis://127.0.0.1:6379 --concurrency 2', 'a worker taking two jobs at a time') as Argv<WorkerFlags>,
    handler: async (argv: ArgumentsCamelCase<WorkerFlags>) => {
      const worker = await queueWorker(argv.queue!, argv.concurrency ?? 1, (event, job, detail) => {
        const p = job.data;
        io.out(`worker: job ${job.id?.slice(0, 12)} (sweep ${p.sweep.slice(0, 12)}, job ${p.job.index}) ${event}${detail ? `: ${detail}` : ''}`);
      });
      io.out(`worker: taking jobs from ${argv.queue} (concurrency ${argv.concurrency ?? 1}); stop with Ctrl-C`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          io.out('worker: stopping (finishing the jobs it holds)');
          void worker.close().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    },
  };
}
