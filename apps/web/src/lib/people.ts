import { useQuery } from '@tanstack/react-query';
import { useSession } from './session.tsx';
import { useTRPC } from './trpc.ts';

export interface Person {
  userId: string;
  name: string;
  email: string;
}

/**
 * The organisation's members by user id (members.list, for those who may see the team), and a way to name
 * any user id: "you" for the signed-in user, the member's name, or a shortened id for a former member.
 */
export function usePeople() {
  const trpc = useTRPC();
  const { session } = useSession();
  const canSeeTeam = session.scopes.includes('team:read');
  const members = useQuery({
    ...trpc.members.list.queryOptions({ limit: 100 }),
    enabled: canSeeTeam,
    staleTime: 60_000,
  });
  const byId = new Map<string, Person>((members.data?.data ?? []).map((member) => [member.userId, member]));
  byId.set(session.user.id, { userId: session.user.id, name: session.user.name, email: session.user.email });
  const nameOf = (userId: string | null): string => {
    if (userId === null) return '—';
    if (userId === session.user.id) return `${session.user.name} (you)`;
    return byId.get(userId)?.name ?? `a former member (${userId.slice(0, 12)}…)`;
  };
  return { members: members.data?.data ?? [], byId, nameOf };
}

/** Who a token belongs to, as a person reads it: the organisation for a service token, else its subject. */
export function ownerOf(
  token: { type: string; subjectUserId: string | null },
  nameOf: (userId: string | null) => string,
): string {
  return token.type === 'service' ? 'Organisation (service)' : nameOf(token.subjectUserId);
}
