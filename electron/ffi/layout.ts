// C struct layout by the compiler's rules: each field at its own alignment, the struct padded to
// its widest member. Used to read structs the native side fills, on Windows (WCHAR = 2 bytes)
// and under the simulator on Linux (WCHAR = wchar_t = 4 bytes) alike.
import { POINTER_SIZE, WCHAR_SIZE } from './memory';

export type FieldKind = 'u8' | 'u16' | 'u32' | 'i32' | 'i64' | 'ptr' | 'u8[]' | 'u16[]' | 'wchar[]';
export interface FieldSpec { name: string; kind: FieldKind; count?: number }

export interface StructLayout {
  size: number;
  offsets: Readonly<Record<string, number>>;
  fields: readonly FieldSpec[];
}

function sizeAndAlign(field: FieldSpec, wcharSize: number): [number, number] {
  const count = field.count ?? 1;
  switch (field.kind) {
    case 'u8': return [1, 1];
    case 'u16': return [2, 2];
    case 'u32': case 'i32': return [4, 4];
    case 'i64': return [8, 8];
    case 'ptr': return [POINTER_SIZE, POINTER_SIZE];
    case 'u8[]': return [count, 1];
    case 'u16[]': return [count * 2, 2];
    case 'wchar[]': return [count * wcharSize, wcharSize];
  }
}

export function defineStruct(fields: readonly FieldSpec[], wcharSize = WCHAR_SIZE): StructLayout {
  let offset = 0;
  let maxAlign = 1;
  const offsets: Record<string, number> = {};
  for (const field of fields) {
    const [size, align] = sizeAndAlign(field, wcharSize);
    offset = Math.ceil(offset / align) * align;
    offsets[field.name] = offset;
    offset += size;
    maxAlign = Math.max(maxAlign, align);
  }
  return { size: Math.ceil(offset / maxAlign) * maxAlign, offsets, fields };
}

export function offsetOf(layout: StructLayout, field: string): number {
  const offset = layout.offsets[field];
  if (offset === undefined) throw new Error(`no field ${field} in struct`);
  return offset;
}
