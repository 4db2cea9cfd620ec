import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SimulatorControl, WTSSIM_SEEDED_EVENT, WTSSIM_SESSION_SPEC } from '../worker/simulator/control';
import { simulatorLibraryPath } from '../main/backend';
import { defineStruct, offsetOf } from './layout';
import type { StructLayout } from './layout';
import { WTSCLIENTW, WTSINFOW, WTS_CLIENT_ADDRESS, WTS_PROCESS_INFO_EXW, WTS_SESSION_INFOW, WTS_SESSION_INFO_1W } from '../worker/wtsapi32/structs';
import { CREDENTIALW } from '../worker/advapi32/advapi32';
import { EVT_VARIANT } from '../worker/wevtapi/wevtapi';

describe('struct layouts', () => {
  it('match the C compiler field for field', () => {
    const control = new SimulatorControl(simulatorLibraryPath());
    const structs: [number, StructLayout][] = [[0, WTS_SESSION_INFOW], [1, WTS_SESSION_INFO_1W], [2, WTSINFOW], [3, WTS_CLIENT_ADDRESS], [4, WTSSIM_SESSION_SPEC], [5, WTSCLIENTW], [6, WTS_PROCESS_INFO_EXW], [7, CREDENTIALW], [8, EVT_VARIANT], [9, WTSSIM_SEEDED_EVENT]];
    for (const [id, layout] of structs) {
      assert.equal(layout.size, control.layout(id, -1), `sizeof struct ${id}`);
      layout.fields.forEach((field, index) => assert.equal(offsetOf(layout, field.name), control.layout(id, index), `struct ${id}.${field.name}`));
    }
  });

  it('give the documented 64-bit Windows offsets when WCHAR is 2 bytes', () => {
    // CREDENTIALW holds no WCHAR array: 80 bytes, UserName last at 72, on Windows and Linux alike.
    assert.equal(CREDENTIALW.size, 80);
    assert.deepEqual([EVT_VARIANT.size, offsetOf(EVT_VARIANT, 'Count'), offsetOf(EVT_VARIANT, 'Type')], [16, 8, 12]);
    assert.equal(offsetOf(CREDENTIALW, 'CredentialBlob'), 40);
    assert.equal(offsetOf(CREDENTIALW, 'UserName'), 72);
    const windows = defineStruct(WTSINFOW.fields, 2);
    assert.equal(windows.size, 216);
    assert.equal(offsetOf(windows, 'UserName'), 130);
    assert.equal(offsetOf(windows, 'ConnectTime'), 176);
    assert.equal(offsetOf(windows, 'CurrentTime'), 208);
    const info1 = defineStruct(WTS_SESSION_INFO_1W.fields, 2);
    assert.equal(info1.size, 56);
    assert.equal(offsetOf(info1, 'pUserName'), 32);
    assert.equal(defineStruct(WTS_SESSION_INFOW.fields, 2).size, 24);
    assert.equal(defineStruct(WTS_CLIENT_ADDRESS.fields, 2).size, 24);
    // WTSCLIENTW, derived from the SDK declaration and checked by mingw's _Static_assert (native/wtssim/wtssim-sdk.h).
    const client = defineStruct(WTSCLIENTW.fields, 2);
    assert.deepEqual([client.size, offsetOf(client, 'EncryptionLevel'), offsetOf(client, 'ClientAddressFamily'), offsetOf(client, 'HRes'),
      offsetOf(client, 'ClientBuildNumber'), offsetOf(client, 'DeviceId')], [2304, 1164, 1168, 1234, 1764, 1780]);
    const processInfo = defineStruct(WTS_PROCESS_INFO_EXW.fields, 2);
    assert.deepEqual([processInfo.size, offsetOf(processInfo, 'pUserSid'), offsetOf(processInfo, 'UserTime')], [64, 16, 48]);
  });
});
