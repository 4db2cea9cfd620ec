// A row's identity key (shared/domain identityKey), worked out once per row object: a reply from
// one server of five hundred must not re-key the other 99,800 rows.
import type { Session } from '../../../shared/domain';
import { identityKey } from '../../../shared/domain';
import { memoOnRow } from './row-memo';

const KEY = Symbol('identityKey');

export function sessionKey(session: Session): string {
  return memoOnRow(session, KEY, () => identityKey(session));
}
