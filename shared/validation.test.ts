import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { actionOptionsSchema, checkServerName, checkSessionTarget, isIPv6, printable } from './validation';
import { describeWindowsError } from './winerror';

describe('server names', () => {
  it('accepts NetBIOS names, FQDNs, IPv4 and IPv6', () => {
    const cases: [string, string, string][] = [
      ['RDS01', 'netbios', 'RDS01'], ['  rds-02  ', 'netbios', 'rds-02'], ['rds01.corp.contoso.com', 'fqdn', 'rds01.corp.contoso.com'],
      ['rds01.corp.contoso.com.', 'fqdn', 'rds01.corp.contoso.com'], ['10.20.1.11', 'ipv4', '10.20.1.11'], ['fd00::13', 'ipv6', 'fd00::13'],
      ['[2001:DB8::1]', 'ipv6', '2001:db8::1'], ['::ffff:10.0.0.1', 'ipv6', '::ffff:10.0.0.1'], ['LOCALHOST', 'local', 'localhost'], ['.', 'local', 'localhost'],
    ];
    for (const [input, kind, name] of cases) assert.deepEqual(checkServerName(input), { ok: true, value: { name, kind } }, input);
  });
  it('rejects everything else with a sentence', () => {
    for (const input of ['', 'bad name', 'ABCDEFGHIJKLMNOP', '-rds', '256.1.1.1', '1.2.3', '01.2.3.4', 'a..b.com', 'rds01.123', ':::', '1::2::3',
      'rds01\u0000', "rds' or '1'='1", 'rds01\u200b', 'ｒｄｓ０１', 'x'.repeat(300), '1:2:3:4:5:6:7:8:9']) {
      const checked = checkServerName(input);
      assert.equal(checked.ok, false, JSON.stringify(input));
      if (!checked.ok) assert.match(checked.error, /server name|IPv4|IPv6|domain name|too long/);
    }
    assert.equal(checkServerName(42).ok, false);
  });
  it('validates IPv6 forms', () => {
    assert.ok(isIPv6('1:2:3:4:5:6:7:8'));
    assert.ok(isIPv6('::'));
    assert.ok(!isIPv6('1:2:3:4:5:6:7'));
    assert.ok(!isIPv6('12345::'));
  });
});

describe('session targets and options', () => {
  it('takes an id or an exact session name', () => {
    assert.deepEqual(checkSessionTarget('12'), { ok: true, value: { kind: 'id', id: 12 } });
    assert.deepEqual(checkSessionTarget(0), { ok: true, value: { kind: 'id', id: 0 } });
    assert.deepEqual(checkSessionTarget('RDP-Tcp#7'), { ok: true, value: { kind: 'name', name: 'RDP-Tcp#7' } });
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 32, '99999999999', '', 'a/b', '../x', null, {}]) assert.equal(checkSessionTarget(bad).ok, false, String(bad));
  });
  it('validates action options strictly', () => {
    assert.ok(actionOptionsSchema.safeParse({ force: true, verbose: false, message: '', timeoutSeconds: 60 }).success);
    for (const bad of [{}, { force: 'yes', verbose: false, message: '', timeoutSeconds: 60 }, { force: true, verbose: false, message: 'x'.repeat(501), timeoutSeconds: 60 },
      { force: true, verbose: false, message: '', timeoutSeconds: -1 }, { force: true, verbose: false, message: '', timeoutSeconds: 60, evil: 1 }]) {
      assert.equal(actionOptionsSchema.safeParse(bad).success, false);
    }
  });
  it('shows hostile text safely and describes Windows errors with their meaning', () => {
    // One escape for every sentence and every printed field: the same \uXXXX as revealHidden.
    assert.equal(printable('a\u0000b\u200bc'), 'a\\u0000b\\u200Bc');
    for (const bidi of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      assert.equal(printable(`x${String.fromCodePoint(bidi)}y`), `x\\u${bidi.toString(16).toUpperCase()}y`);
    }
    assert.equal(printable('\u001b]0;pwned\u0007\u001b[31mRED'), '\\u001B]0;pwned\\u0007\\u001B[31mRED');
    assert.match(describeWindowsError(5), /Access is denied/);
    assert.match(describeWindowsError(1722), /RPC server is unavailable/);
    assert.match(describeWindowsError(1726), /remote procedure call failed/);
    assert.match(describeWindowsError(53), /network path was not found/);
    assert.match(describeWindowsError(87), /invalid parameter/);
    assert.match(describeWindowsError(6), /handle is invalid/);
    assert.match(describeWindowsError(7022), /session cannot be found/);
    assert.equal(describeWindowsError(424242), 'Windows error 424242.');
    assert.match(describeWindowsError(5, 'EvtQuery'), /Event Log Readers/);
    assert.match(describeWindowsError(1722, 'EvtSubscribe'), /Remote Event Log Management/);
  });
});
