// The advapi32 binding against the simulator's ReportEventW: what it writes is read back through
// the wevtapi binding, and its failures come back as WindowsApiError with Windows' codes.
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdvApi, MAX_INSERTION_CHARS } from './advapi32';
import { WevtApi, EvtQueryFlags } from '../wevtapi/wevtapi';
import { WindowsApiError } from '../../common/windows-error';
import { simulatorBackend, simulatorLibraryPath } from '../../main/backend';
import { loadTestFarm } from '../../testing/test-farm';

function readBack(source: string): string[] {
  const api = new WevtApi(simulatorLibraryPath(), simulatorBackend().kernelLibrary);
  const query = api.query(0n, 'Application', `*[System[Provider[@Name='${source}']]]`, EvtQueryFlags.ChannelPath | EvtQueryFlags.ForwardDirection);
  try {
    return api.next(query, 10).map((event) => { try { return api.renderXml(event); } finally { api.close(event); } });
  } finally {
    api.close(query);
  }
}

describe('advapi32 binding', () => {
  beforeEach(() => { loadTestFarm(); });

  it('writes an event with its type, id and insertion strings, each copied, in order', () => {
    new AdvApi(simulatorLibraryPath()).reportEvent('Binding Test', 'warning', 4242, ['first', 'a & <b>', '\u00e9\u{1F600}', '']);
    const [xml, more] = readBack('Binding Test');
    assert.equal(more, undefined);
    assert.match(xml ?? '', /<EventID Qualifiers='0'>4242<\/EventID><Version>0<\/Version><Level>3<\/Level>/);
    assert.match(xml ?? '', /<EventData><Data>first<\/Data><Data>a &amp; &lt;b&gt;<\/Data><Data>\u00e9\u{1F600}<\/Data><Data><\/Data><\/EventData>/u);
    assert.deepEqual(readBack('Another Source'), []);
  });

  it('fails as Windows documents: an insertion string over 31,839 characters is an invalid parameter', () => {
    const api = new AdvApi(simulatorLibraryPath());
    assert.throws(() => api.reportEvent('Binding Test', 'information', 1, ['x'.repeat(MAX_INSERTION_CHARS + 1)]),
      (error: Error) => error instanceof WindowsApiError && error.code === 87 && error.operation === 'ReportEventW');
    api.reportEvent('Binding Test', 'information', 1, ['x'.repeat(MAX_INSERTION_CHARS)]);
    assert.equal(readBack('Binding Test').length, 1);
  });
});
