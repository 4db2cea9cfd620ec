// Child process for library.test: 16 threads make their first native calls at the same instant,
// each through openLibrary as pool workers do, the way a pool's workers start together. Prints
// "done", or "hung" and exits 3 if a thread is stuck after 20 s; heap corruption aborts it.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { DataType, load } from 'ffi-rs';
import { claimNativeLane, openLibrary, prepareLibraries, preparedKeysForLane, useNativeLane } from '../ffi/library';

// The C library of each platform: the same kind of cheap int functions, so the race is in ffi-rs's maps.
const WINDOWS = process.platform === 'win32';
const LIBC = WINDOWS ? 'msvcrt.dll' : 'libc.so.6';
const ONE_INT = ['abs', 'toupper', 'tolower', 'isalpha', 'isdigit', 'isspace', 'isupper', 'islower', 'isalnum', 'ispunct',
  'isxdigit', 'iscntrl', 'isgraph', 'isprint', ...(WINDOWS ? ['__toascii', '__isascii'] : ['toascii', 'isascii', 'isblank', 'ffs'])];
const NO_ARGS = WINDOWS ? ['rand', '_getpid', '_getdrive', '_getmbcp', 'clock', '_heapchk']
  : ['rand', 'getpid', 'getppid', 'getuid', 'geteuid', 'getgid', 'getegid', 'getpagesize'];
const THREADS = 16;

interface RaceData { lane: number; libraryKeys: string[]; start: Int32Array }

if (isMainThread) {
  prepareLibraries([LIBC]);
  const start = new Int32Array(new SharedArrayBuffer(4));
  let ready = 0;
  let done = 0;
  const hung = setTimeout(() => { console.log('hung'); process.exit(3); }, 20_000);
  for (let t = 0; t < THREADS; t++) {
    const lane = claimNativeLane();
    if (lane === null) throw new Error('no lane');
    const worker = new Worker(__filename, { workerData: { lane, libraryKeys: preparedKeysForLane(lane), start } satisfies RaceData });
    worker.on('message', (message: string) => {
      if (message === 'ready' && ++ready === THREADS) {
        Atomics.store(start, 0, 1);
        Atomics.notify(start, 0);
      } else if (message === 'done' && ++done === THREADS) {
        clearTimeout(hung);
        console.log('done');
        process.exit(0);
      }
    });
  }
} else {
  const data = workerData as RaceData;
  useNativeLane(data.lane, data.libraryKeys);
  const library = openLibrary(LIBC);
  parentPort?.postMessage('ready');
  Atomics.wait(data.start, 0, 0);
  const order = [...ONE_INT, ...NO_ARGS].sort(() => Math.random() - 0.5);
  for (let round = 0; round < 3; round++) {
    for (const funcName of order) {
      const noArgs = NO_ARGS.includes(funcName);
      load({ library, funcName, retType: DataType.I32, paramsType: noArgs ? [] : [DataType.I32], paramsValue: noArgs ? [] : [65] });
    }
  }
  parentPort?.postMessage('done');
}
