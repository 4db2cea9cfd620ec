import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WCHAR_SIZE, decodeWideChars, readBytes, readWideString, wideByteLength, withWideStrings } from './memory';

function encodeWide(text: string): Buffer {
  if (WCHAR_SIZE === 2) return Buffer.from(`${text}\0`, 'utf16le');
  const points = Array.from(`${text}\0`, (c) => c.codePointAt(0) ?? 0);
  const out = Buffer.alloc(points.length * 4);
  points.forEach((p, i) => out.writeUInt32LE(p, i * 4));
  return out;
}

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
});
