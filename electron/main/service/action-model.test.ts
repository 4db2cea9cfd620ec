// The model-based randomized test of the right-person invariants (../testing/action-model.ts),
// on a fixed set of seeds; `npm run fuzz:actions -- --runs N` runs as many random cases as asked.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SimulatorControl } from '../../worker/simulator/control';
import { simulatorBackend, simulatorLibraryPath } from '../backend';
import { NativeWorkerPool } from '../pool/native-pool';
import { modelSteps, runModel } from '../../testing/action-model';
import { generatedCases } from '../../testing/fuzz';
import type { ModelRig, ModelStep } from '../../testing/action-model';

export const MODEL_SEEDS = { seed: 20_261_201, numRuns: generatedCases(400) } as const;

describe('actions under churn, two callers, answers and faults (model-based)', () => {
  let rig: ModelRig;
  before(() => {
    rig = {
      control: new SimulatorControl(simulatorLibraryPath()),
      pool: new NativeWorkerPool(simulatorBackend(), 8),
    };
  });
  after(async () => { await rig.pool.close(); });

  it(`reaches only the logons named, at most one logoff each, and reports and records what really happened (${MODEL_SEEDS.numRuns} seeded runs)`, async () => {
    await fc.assert(fc.asyncProperty(modelSteps, async (steps: ModelStep[]) => {
      const violations = await runModel(rig, steps);
      if (violations.length > 0) throw new Error(violations.join('\n'));
    }), MODEL_SEEDS);
  });

  it('the model can see a violation: a logoff the service was never asked for is reported', async () => {
    // The check must not be a check that cannot fail: a WTSLogoffSession made behind the service's back is caught.
    const violations = await runModel(rig, [{ t: 'wait', ms: 0 }, { t: 'refresh', caller: 0, server: 0 }]);
    assert.deepEqual(violations, []);
    const sneaky = await runModel(rig, [{ t: 'refresh', caller: 0, server: 0 }, { t: 'unasked-logoff', server: 0, id: 2 }]);
    assert.match(sneaky.join('\n'), /WTSLogoffSession reached session 2 on M1 held by .+, which no request named for that call/);
  });
});
