import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WCHAR_SIZE, decodeWideChars, encodeWideString as encodeWide, readBytes, readWideString, wideByteLength, withWideStrings } from './memory';

describe('reading native memory', () => {
  const samples = ['', 'RDP-Tcp#12', 'Jürgen Größ', 'CONTOSO\\Ådmin', 'emoji 😀 and 𝄞 clef', 'x'.repeat(1500)];

  it('decodes fixed WCHAR arrays, astral characters included, up to the first NUL or the array end', () => {
    for (const text of samples) {
      const bytes = encodeWide(text);
      assert.equal(decodeWideChars(bytes, 0, bytes.length / WCHAR_SIZE), text);
    }
    const full = encodeWide('ABCDEF');
    assert.equal(decodeWideChars(full, 0, 3), 'ABC', 'an array without its NUL stops at its length');
  });

  it('decodes a short name field and a long text alike: a value past U+10FFFF as U+FFFD, a lone surrogate kept', { skip: WCHAR_SIZE !== 4 && 'UTF-16 has no value past U+10FFFF' }, () => {
    for (const filler of ['', 'y'.repeat(600)]) {
      const points = [...Array.from(filler, (c) => c.codePointAt(0) ?? 0), 0x41, 0x110000, 0xd800, 0x1f600, 0];
      const bytes = Buffer.alloc(points.length * 4);
      points.forEach((point, i) => bytes.writeUInt32LE(point, i * 4));
      assert.equal(decodeWideChars(bytes, 0, points.length), `${filler}A\ufffd\ud800😀`);
    }
  });

  it('decodes at an offset that is not a multiple of the character size', () => {
    const text = 'User 😀 name';
    const padded = Buffer.concat([Buffer.alloc(3), encodeWide(text)]);
    assert.equal(decodeWideChars(padded, 3, Array.from(text).length + 1), text);
  });

  it('reads native strings and bytes through the platform copy routines', () => {
    withWideStrings([...samples, null], (addresses) => {
      samples.forEach((text, i) => {
        const address = addresses[i] ?? 0n;
        assert.equal(readWideString(address), text);
        assert.deepEqual(readBytes(address, wideByteLength(text)), encodeWide(text).subarray(0, wideByteLength(text)));
      });
      assert.equal(readWideString(addresses[samples.length] ?? 1n), null, 'a NULL pointer is null');
    });
    assert.throws(() => readBytes(0n, 4), /null pointer/);
  });

  it('gives back the memory of the strings it lends: an event session is opened on every stream poll', () => {
    // ffi-rs's own createPointer/freePointer kept ~200 bytes per string, which is 20 MB over the
    // 100,000 loans below; a day of streaming 50 servers makes millions.
    const lend = (times: number): void => { for (let i = 0; i < times; i++) withWideStrings(['RDS001.contoso.local', null], () => 0); };
    lend(20_000);
    const before = process.memoryUsage().rss;
    lend(100_000);
    const grownMb = (process.memoryUsage().rss - before) / 2 ** 20;
    assert.ok(grownMb < 6, `resident memory grew ${grownMb.toFixed(1)} MB over 100,000 string loans`);
  });
});
