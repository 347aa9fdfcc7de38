// agent.*: the desktop SSH agent's status, a key pair's agent settings and recent uses, and the
// approval dialog's answers.
import { agentKeyInfo, setAgentKey } from '../../service/agent-desktop';
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

export function agentHandlers({ vault, agent }: HandlerDeps): HandlersFor<'agent'> {
  return {
    'agent.status': () => agent.status(),
    'agent.key': ({ id }) => agentKeyInfo(vault.session(), id),
    'agent.key.set': ({ id, ...patch }) => setAgentKey(vault.session(), id, patch),
    'agent.pending': () => agent.approvals.waiting(),
    'agent.answer': ({ id, choice }) => ({ answered: agent.approvals.answer(id, choice) }),
  };
}
