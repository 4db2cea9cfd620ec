// Tests name sessions as an admin does, by id or session name; the service acts on identities,
// so these resolve them first, exactly as the CLI does.
import type { SessionIdentity } from '../../shared/domain';
import { identityOf } from '../../shared/domain';
import type { SessionService } from '../main/service/session-service';

/**
 * The identities of these sessions as the server reports them now. A session that does not
 * exist (or vanishes when queried) gets an identity nobody holds, so acting on it finds it gone.
 */
export async function named(service: SessionService, server: string, targets: readonly (number | string)[]): Promise<SessionIdentity[]> {
  const resolved = await service.resolve(server, targets);
  return resolved.map((r, i) => (r.found ? identityOf(r.session)
    : { server, sessionId: typeof targets[i] === 'number' ? targets[i] : 0, userName: 'nobody', domain: 'NOWHERE', logonTime: null, logonIdHex: null }));
}
