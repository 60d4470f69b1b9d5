import { spawn } from 'node:child_process';

/*
 * tcpdump on lo for a measured window: UDP only, the first 64 bytes of each packet (enough for
 * the RTP header), nanosecond timestamps. Needs tcpdump and root (the benches run in their own
 * network namespace). `stop()` resolves with the number of packets the kernel dropped, if told.
 */
export async function startCapture(path: string): Promise<{ stop(): Promise<number | null> }> {
  const tcpdump = spawn(
    'tcpdump',
    ['-i', 'lo', '-s', '64', '-B', '65536', '--time-stamp-precision', 'nano', '-w', path, 'udp'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    tcpdump.once('error', reject);
    tcpdump.once('exit', (code) => reject(new Error(`tcpdump exited (${code}): ${stderr}`)));
    tcpdump.stderr.on('data', (d) => {
      stderr += String(d);
      if (stderr.includes('listening on')) resolve();
    });
  });
  return {
    stop: () =>
      new Promise<number | null>((resolve) => {
        tcpdump.removeAllListeners('exit');
        tcpdump.once('exit', () => {
          const dropped = /(\d+) packets? dropped by kernel/.exec(stderr)?.[1];
          resolve(dropped === undefined ? null : Number(dropped));
        });
        tcpdump.kill('SIGINT');
      }),
  };
}
