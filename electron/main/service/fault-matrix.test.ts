// The fault matrix: one row per simulator fault. For each, the service reports the right state
// and Windows error, the other servers and streams carry on, no action is attempted twice, and
// the audit trail says what happened. (The UI half of the matrix is e2e/fault-matrix.spec.ts.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRuntime } from '../runtime';
import type { ConsoleRuntime } from '../runtime';
import { EventStream } from '../event-stream';
import type { StreamEvent } from '../event-stream';
import { SimulatorControl } from '../../worker/simulator/control';
import { simulatorLibraryPath } from '../backend';
import { tempDataDir, writeTestFarm } from '../../testing/test-farm';
import type { ActionOutcome, AuditEntry } from '../../../shared/domain';
import { named } from '../../testing/targets';
import { waitFor } from '../../testing/wait';

const options = (extra: Record<string, unknown> = {}) => ({ force: false, verbose: true, message: 'Save your work.', timeoutSeconds: 1, ...extra });

interface Context { runtime: ConsoleRuntime; control: SimulatorControl; stream: EventStream; received: StreamEvent[] }

interface Row {
  fault: string;
  /** What the service reports: an error code on a server, or an action outcome. */
  run: (ctx: Context) => Promise<{ code?: number | null; outcome?: ActionOutcome | undefined; text: string; audit?: AuditEntry | undefined }>;
  expect: { code?: number; outcome?: ActionOutcome; text: RegExp; audited?: ActionOutcome };
  /** WTS action calls the row may make at most (never a retry). */
  maxActionCalls: number;
}

const lastAudit = async (ctx: Context) => (await ctx.runtime.service.auditLog({ limit: 1 }))[0];

const ROWS: Row[] = [
  {
    fault: 'server unreachable',
    run: async ({ runtime }) => { const [r] = await runtime.service.refresh('DOWN'); return { code: r?.status.error?.code ?? null, text: r?.status.error?.message ?? '' }; },
    expect: { code: 1722, text: /RPC server is unavailable/ }, maxActionCalls: 0,
  },
  {
    fault: 'server hangs',
    run: async ({ runtime }) => { const [r] = await runtime.service.refresh('HANGER'); return { code: r?.status.error?.code ?? null, text: r?.status.error?.message ?? '' }; },
    expect: { code: 1460, text: /did not answer within 1 s/ }, maxActionCalls: 0,
  },
  {
    fault: 'access denied',
    run: async ({ runtime }) => { const [r] = await runtime.service.refresh('DENIED'); return { code: r?.status.error?.code ?? null, text: r?.status.error?.message ?? '' }; },
    expect: { code: 5, text: /Access is denied/ }, maxActionCalls: 0,
  },
  {
    fault: 'logoff on an unreachable server',
    // The identity of a session seen before the server went down.
    run: async (ctx) => { const [r] = await ctx.runtime.service.logoff([{ server: 'DOWN', sessionId: 2, userName: 'gone', domain: 'CONTOSO', logonTime: null, logonIdHex: null }], options({ force: true })); return { code: r?.error?.code ?? null, outcome: r?.outcome, text: r?.summary ?? '', audit: await lastAudit(ctx) }; },
    expect: { code: 1722, outcome: 'error', text: /RPC server is unavailable/, audited: 'error' }, maxActionCalls: 0,
  },
  {
    fault: 'session vanished before the logoff',
    run: async (ctx) => { const [r] = await ctx.runtime.service.logoff(await named(ctx.runtime.service, 'ALPHA', [6]), options({ force: true })); return { code: r?.error?.code ?? null, outcome: r?.outcome, text: r?.summary ?? '', audit: await lastAudit(ctx) }; },
    expect: { outcome: 'session-changed', text: /Session 6 no longer exists on ALPHA \(error (2|7022)\): nothing was done/, audited: 'session-changed' }, maxActionCalls: 0,
  },
  {
    fault: 'user answers Cancel',
    run: async (ctx) => { const [r] = await ctx.runtime.service.logoff(await named(ctx.runtime.service, 'ALPHA', [3]), options()); return { outcome: r?.outcome, text: r?.summary ?? '', audit: await lastAudit(ctx) }; },
    expect: { outcome: 'declined-by-user', text: /Declined by user: CONTOSO\\declines chose Cancel/, audited: 'declined-by-user' }, maxActionCalls: 0,
  },
  {
    fault: 'nobody answers the message (timeout)',
    run: async (ctx) => { const [r] = await ctx.runtime.service.sendMessage(await named(ctx.runtime.service, 'ALPHA', [4]), options()); return { outcome: r?.outcome, text: r?.summary ?? '', audit: await lastAudit(ctx) }; },
    expect: { outcome: 'message-answered', text: /answer: Timeout/, audited: 'message-answered' }, maxActionCalls: 0,
  },
  {
    fault: 'Security log access denied',
    run: async ({ stream }) => {
      await waitFor(() => stream.statusesNow().some((s) => s.server === 'NOLOG' && s.state === 'reconnecting'), 5000, 'NOLOG to report its error');
      const status = stream.statusesNow().find((s) => s.server === 'NOLOG');
      return { code: status?.error?.code ?? null, text: status?.error?.message ?? '' };
    },
    expect: { code: 5, text: /Event Log Readers/ }, maxActionCalls: 0,
  },
  {
    fault: 'Security channel not found',
    run: async ({ control, stream }) => {
      control.setEventFault('BETA', 'channel-not-found', 800);
      await waitFor(() => stream.statusesNow().some((s) => s.server === 'BETA' && s.error?.code === 15007), 5000, 'BETA to report 15007');
      const status = stream.statusesNow().find((s) => s.server === 'BETA');
      await waitFor(() => stream.statusesNow().some((s) => s.server === 'BETA' && s.state === 'live'), 8000, 'BETA to come back');
      return { code: status?.error?.code ?? null, text: status?.error?.message ?? '' };
    },
    expect: { code: 15007, text: /channel/i }, maxActionCalls: 0,
  },
  {
    fault: 'event stream dropped mid-way and back',
    run: async ({ control, stream, received }) => {
      control.setEventFault('BETA', 'drop', 700);
      control.generateEvents('BETA', 5);
      await waitFor(() => stream.statusesNow().some((s) => s.server === 'BETA' && s.error?.code === 1726), 5000, 'BETA to report the drop');
      const status = stream.statusesNow().find((s) => s.server === 'BETA');
      await waitFor(() => received.filter((e) => e.server === 'BETA').length >= 5, 8000, 'the five events from during the drop');
      await new Promise((r) => setTimeout(r, 300));
      const ids = received.filter((e) => e.server === 'BETA').map((e) => e.recordId);
      return { code: status?.error?.code ?? null, text: `${status?.error?.message ?? ''} | ${ids.length} events, ${new Set(ids).size} distinct` };
    },
    expect: { code: 1726, text: /5 events, 5 distinct/ }, maxActionCalls: 0,
  },
];

describe('fault matrix (service)', () => {
  const ctx = {} as Context;
  before(async () => {
    ctx.control = new SimulatorControl(simulatorLibraryPath());
    ctx.runtime = await createRuntime({ dataDirectory: tempDataDir(), farmPath: writeTestFarm(), poolSize: 6, settings: { serverTimeoutMs: 1000, confirmTimeoutMs: 0 } });
    ctx.stream = new EventStream(ctx.runtime.service, { pollIntervalMs: 50, maxBackoffMs: 200, backfillMs: 1 });
    ctx.received = [];
    ctx.stream.onBatch((b) => ctx.received.push(...b.events));
    ctx.stream.follow(['ALPHA', 'BETA', 'NOLOG']);
    await waitFor(() => ['ALPHA', 'BETA'].every((s) => ctx.stream.statusesNow().some((x) => x.server === s && x.state === 'live')), 8000, 'streams to go live');
  });
  after(async () => { ctx.stream.stop(); ctx.control.releaseHangs(); await ctx.runtime.close(); });

  for (const row of ROWS) {
    it(row.fault, async () => {
      const actionsBefore = ['WTSLogoffSession', 'WTSDisconnectSession'].map((f) => ctx.control.callCount(f));
      const seen = await row.run(ctx);
      if (row.expect.code !== undefined) assert.equal(seen.code, row.expect.code, seen.text);
      if (row.expect.outcome !== undefined) assert.equal(seen.outcome, row.expect.outcome, seen.text);
      assert.match(seen.text, row.expect.text);
      if (row.expect.audited) {
        assert.equal(seen.audit?.outcome, row.expect.audited, 'the audit trail records the outcome');
        assert.match(seen.audit?.summary ?? '', row.expect.text);
      }
      const actionCalls = ['WTSLogoffSession', 'WTSDisconnectSession'].reduce((n, f, i) => n + ctx.control.callCount(f) - (actionsBefore[i] ?? 0), 0);
      assert.ok(actionCalls <= row.maxActionCalls, `${actionCalls} logoff/disconnect calls: nothing may be retried`);
      // The rest of the farm carries on.
      const [beta] = await ctx.runtime.service.refresh('BETA');
      assert.equal(beta?.status.health, 'ok', 'BETA still answers');
      const alpha = ctx.stream.statusesNow().find((s) => s.server === 'ALPHA');
      assert.equal(alpha?.state, 'live', 'the ALPHA stream is still live');
    });
  }

  it('a forced logoff that succeeds calls WTSLogoffSession exactly once and is audited as requested, then done', async () => {
    const before = ctx.control.callCount('WTSLogoffSession');
    const [r] = await ctx.runtime.service.logoff(await named(ctx.runtime.service, 'ALPHA', [7]), options({ force: true }));
    assert.equal(r?.outcome, 'logged-off');
    assert.equal(ctx.control.callCount('WTSLogoffSession'), before + 1);
    const entry = (await ctx.runtime.service.auditLog({ limit: 1 }))[0];
    assert.equal(entry?.actionId, r?.actionId);
    assert.equal(entry?.outcome, 'logged-off');
  });
});
