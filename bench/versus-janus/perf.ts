import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

/*
 * The `--perf DIR` window: `perf record -g` on the server's core for a few seconds of the
 * steady scenario, then a text report of where the time went. The report is what the bench keeps
 * (perf.data is large and only readable on this machine); it has four parts:
 *
 *  - categories: each sample's own (self) time, grouped by what runs there — kernel, SRTP and AES,
 *    GLib, libnice, Janus's own code, libdatachannel, JavaScript, V8, libuv, malloc, user-side locks;
 *  - kernel entry points, inclusive: the time under each system call (sendto/sendmsg with, on a
 *    local link, the receiving socket's softirq delivery charged to the sender), futex, poll, the
 *    scheduler, softirqs. Kernel stacks unwind reliably; user stacks of libraries built without
 *    frame pointers do not, which is why user-side figures are self time only;
 *  - threads: self time per thread name;
 *  - the top entries of `perf report --no-children --sort dso,symbol`.
 *
 * The event is cpu-clock (a timer): this VM has no hardware counters. All CPU samples of the
 * server's core are recorded and the report keeps the server's (see perfRecord).
 */

const run = promisify(execFile);
const FREQUENCY = 1999;
const TOP = 40;

/**
 * Samples everything on `core` (the server's) for `seconds`; resolves once perf has written `file`.
 * Per CPU, not per process (`-p`): perf's per-task events are switched out and in at every context
 * switch of every thread, which costs most where there are most switches — Janus's per-handle
 * threads went from 27 % to 68 % of the core under `perf record -p` (results/perf-p-1x30-8x8.log),
 * so the profile would mostly show perf. The report keeps the server's samples (`--pid`).
 */
export function perfRecord(core: number, file: string, seconds: number): Promise<void> {
  const perf = spawn(
    'perf',
    ['record', '-q', '-e', 'cpu-clock', '-F', String(FREQUENCY), '-g', '-a', '-C', String(core), '-o', file],
    { stdio: 'ignore' },
  );
  // perf records until SIGINT and then writes its file.
  const timer = setTimeout(() => perf.kill('SIGINT'), seconds * 1000);
  return new Promise((resolve, reject) => {
    perf.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    perf.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 || signal === 'SIGINT') resolve();
      else reject(new Error(`perf record exited with ${code ?? signal}`));
    });
  });
}

/** Category → percent of the server's samples (self time). */
export type Profile = Record<string, number>;

interface Row {
  percent: number;
  samples: number;
  dso: string;
  symbol: string;
}

/**
 * `perf report` with `-t '|'` (fields separated by `|`: a DSO such as `[JIT] tid 123` has spaces),
 * one row per line; `[.] ` / `[k] ` prefixes stay on the symbol.
 */
async function report(file: string, args: string[]): Promise<string[][]> {
  const { stdout } = await run(
    'perf',
    ['report', '-i', file, '--stdio', '-g', 'none', '-t', '|', '--percent-limit', '0', ...args],
    { maxBuffer: 256 * 2 ** 20 },
  );
  return stdout
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => line.split('|').map((f) => f.trim()));
}

const percent = (field: string | undefined) => Number((field ?? '').replace('%', ''));

/** What a sample's own time is spent on, from its DSO and symbol. */
export function category(dso: string, symbol: string): string {
  const sym = symbol.replace(/^\[.\]\s*/, '');
  if (dso.startsWith('[kernel')) return 'kernel';
  if (dso.startsWith('[JIT]') || /^perf-\d+\.map$/.test(dso)) return 'JavaScript (JIT code)';
  // Debian's libsrtp2 does its AES with NSS (libsoftokn3, libfreebl); Janus's DTLS uses OpenSSL.
  if (/^lib(srtp2?|crypto|ssl|softokn3|freebl3|freeblpriv3|nss3|nssutil3)\.so/.test(dso))
    return 'SRTP + AES (libsrtp, OpenSSL, NSS)';
  if (dso === 'node_datachannel.node') {
    if (CRYPTO.test(sym)) return 'SRTP + AES (libsrtp, OpenSSL, NSS)';
    return 'libdatachannel (+ binding, usrsctp, libjuice)';
  }
  if (/^lib(glib|gobject|gio|gthread)-2\.0\.so/.test(dso)) return 'GLib (main loops, queues)';
  if (/^libnice\.so/.test(dso)) return 'libnice';
  if (dso === 'janus' || /^libjanus_/.test(dso)) return "Janus's own code (core, VideoRoom)";
  if (dso === 'node') {
    if (/^uv_|^uv__/.test(sym)) return 'libuv';
    if (/^napi_|v8impl|^node::/.test(sym)) return 'Node and N-API';
    return 'V8 (builtins, IC, GC, runtime)';
  }
  if (/^libc\.so/.test(dso) || /^libpthread/.test(dso)) {
    if (/malloc|free|calloc|realloc|^_int_|tcache|arena|^cfree/.test(sym)) return 'malloc/free';
    if (/pthread_(mutex|cond|rwlock|spin)|^__lll_|futex|^sem_/.test(sym))
      return 'locks, condition variables (user side)';
    return 'libc other (memcpy, syscall stubs, …)';
  }
  if (dso === '[vdso]') return 'libc other (memcpy, syscall stubs, …)';
  if (/^libstdc\+\+/.test(dso)) return 'libdatachannel (+ binding, usrsctp, libjuice)';
  return 'other';
}

/** OpenSSL's and libsrtp's symbols as statically linked into node-datachannel's addon. */
const CRYPTO =
  /^(srtp_|_?aesni|aes|AES_|_?gcm|ghash|_?ghash|CRYPTO_|EVP_|ossl_|OPENSSL_|sha\d|SHA\d|HMAC|hmac|_x86_64_AES|bn_|BN_)/;

/**
 * Kernel functions whose inclusive time the report lists (when present): system calls (this
 * kernel inlines most `__x64_sys_*` wrappers, so also their `__sys_*` / `do_*` bodies), UDP send
 * and receive, the softirq that delivers a local datagram to its receiver (run inside the
 * sender's `sendto`/`sendmsg`), the scheduler, futexes, and eventfd (GLib's loop wake-up).
 */
const KERNEL_ENTRIES =
  /^(do_syscall_64|__x64_sys_\w+|__sys_\w+|udp_sendmsg|udp_recvmsg|net_rx_action|do_sys_poll|do_epoll_wait|futex_wait|futex_wake|eventfd_write|eventfd_read|ksys_write|ksys_read|__schedule|finish_task_switch\S*|asm_sysvec_apic_timer_interrupt)$/;

/**
 * Reads `file` (from perfRecord) and writes `<file>.txt`: the categories, the kernel's inclusive
 * entry points, the threads and the top entries. Returns the categories.
 */
export async function perfReport(file: string, pid: number, title: string): Promise<Profile> {
  // The server's samples only, as percentages of them.
  const server = ['--pid', String(pid), '--percentage', 'relative'];
  const everything = await report(file, ['--no-children', '-F', 'sample,comm']);
  const all = everything.reduce((n, [samples]) => n + Number(samples), 0);
  const idle = everything.filter(([, comm]) => comm === 'swapper').reduce((n, [s]) => n + Number(s), 0);
  const rows: Row[] = (await report(file, [...server, '--no-children', '-F', 'overhead,sample,dso,sym'])).map(
    ([p, n, dso, symbol]) => ({
      percent: percent(p),
      samples: Number(n),
      dso: dso ?? '',
      symbol: symbol ?? '',
    }),
  );
  const total = rows.reduce((n, r) => n + r.samples, 0);
  const profile: Profile = {};
  for (const r of rows) {
    const c = category(r.dso, r.symbol);
    profile[c] = (profile[c] ?? 0) + r.percent;
  }
  for (const c of Object.keys(profile)) profile[c] = Number((profile[c] as number).toFixed(1));

  const kernel = (await report(file, [...server, '--children', '-F', 'overhead_children,sym']))
    .map(([p, symbol = '']) => ({
      percent: percent(p),
      kernel: symbol.startsWith('[k]'),
      symbol: symbol.replace(/^\[.\]\s*/, ''),
    }))
    .filter((r) => r.kernel && KERNEL_ENTRIES.test(r.symbol) && r.percent >= 0.5);
  const threads = (await report(file, [...server, '--no-children', '-F', 'overhead,comm'])).slice(0, 12);
  const share = (n: number) => ((100 * n) / Math.max(1, all)).toFixed(1);

  const lines = [
    `# ${title}`,
    `# perf record -e cpu-clock -F ${FREQUENCY} -g -a -C <server core>; perf report --pid <server>: ${total} samples`,
    `# the core's samples: server ${share(total)} %, idle ${share(idle)} %, other processes ${share(all - total - idle)} %`,
    '',
    '## Self time by category, % of the server process',
    ...Object.entries(profile)
      .sort((a, b) => b[1] - a[1])
      .map(([c, p]) => `${p.toFixed(1).padStart(6)}%  ${c}`),
    '',
    '## Kernel entry points, inclusive (perf report --children), % of the server process',
    ...kernel.map((r) => `${r.percent.toFixed(2).padStart(6)}%  ${r.symbol}`),
    '',
    '## Threads, self time (perf report --no-children --sort comm)',
    ...threads.map(([p, comm]) => `${percent(p).toFixed(2).padStart(6)}%  ${comm}`),
    '',
    `## Top ${TOP} (perf report --no-children --sort dso,symbol)`,
    ...rows
      .slice(0, TOP)
      .map((r) => `${r.percent.toFixed(2).padStart(6)}%  ${r.dso.padEnd(24)} ${r.symbol.slice(0, 110)}`),
    '',
  ];
  writeFileSync(`${file}.txt`, lines.join('\n'));
  return profile;
}
