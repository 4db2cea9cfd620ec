// A value worked out once per row object and kept on it. At 500 servers × 200 sessions every
// server's reply re-derives the view's 100,000 rows; a WeakMap keyed by 100,000 rows that are
// replaced every refresh cost 5× a property read to look up and slowed V8's collector (a
// keystroke's filter took 400 ms in the bench). Rows are never changed in place (a reply brings new
// objects), so a value kept on a row never goes stale; it is non-enumerable under a symbol, so a
// spread copy, JSON, structured clone and deepEqual never see it.
export function memoOnRow<T>(row: object, slot: symbol, compute: () => T): T {
  const kept = (row as Record<symbol, T | undefined>)[slot];
  if (kept !== undefined) return kept;
  const value = compute();
  Object.defineProperty(row, slot, { value, enumerable: false });
  return value;
}

/** A slot of its own for each owner (a column, a list of columns): what rows keep for it goes there. */
export class RowSlots<Owner extends object> {
  private readonly slots = new WeakMap<Owner, symbol>();

  constructor(private readonly name: string) {}

  of(owner: Owner): symbol {
    let slot = this.slots.get(owner);
    if (!slot) {
      slot = Symbol(this.name);
      this.slots.set(owner, slot);
    }
    return slot;
  }
}
