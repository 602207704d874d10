import { useMutation, useQuery } from '@tanstack/react-query';
import { canManageOthersTokens } from '@tollgate/domain';
import { useId } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { type PlaygroundRequest, PlaygroundView } from '../components/PlaygroundView.tsx';
import { endpointsOf, type OpenApiDocument } from '../lib/openapi.ts';
import { useSession } from '../lib/session.tsx';
import { useTRPC } from '../lib/trpc.ts';
import { useTitle } from '../lib/use-title.ts';

async function fetchOpenApiDocument(): Promise<OpenApiDocument> {
  // The public, unauthenticated document the REST facade serves: the playground lists what it lists.
  const response = await fetch('/api/v1/openapi.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The API description could not be loaded (HTTP ${response.status}).`);
  return (await response.json()) as OpenApiDocument;
}

/** API Playground: endpoints from the OpenAPI document, sent server-side as one of your tokens (or a pasted one). */
export function PlaygroundPage() {
  const trpc = useTRPC();
  const id = useId();
  useTitle('API playground');
  const { session } = useSession();
  const document = useQuery({
    queryKey: ['openapi'],
    queryFn: fetchOpenApiDocument,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const tokens = useQuery(trpc.tokens.list.queryOptions({ limit: 100 }));
  const send = useMutation(trpc.playground.send.mutationOptions());

  const managesOthers = session.role !== null && canManageOthersTokens(session.role);
  // "Your own" tokens: your personal tokens, and for admins and owners the organisation's service tokens.
  const own = (tokens.data?.data ?? []).filter(
    (token) =>
      token.status !== 'revoked' &&
      (token.subjectUserId === session.user.id || (managesOthers && token.type === 'service')),
  );

  const onSend = (request: PlaygroundRequest) =>
    send.mutate({
      ...request.source,
      method: request.method as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
      path: request.path,
      query: request.query,
      ...(request.body === undefined ? {} : { body: request.body }),
    });

  return (
    <section className="page" aria-labelledby={`${id}-title`}>
      <div className="page-header">
        <div>
          <h1 id={`${id}-title`}>API playground</h1>
          <p className="lede">
            Try the REST API with one of your tokens. Requests run as that token: its scopes, IP rule and rate
            limits apply.
          </p>
        </div>
      </div>
      <ErrorMessage error={document.error ?? tokens.error} />
      {document.data && tokens.isSuccess ? (
        <PlaygroundView
          endpoints={endpointsOf(document.data)}
          tokens={own}
          origin={window.location.origin}
          onSend={onSend}
          sending={send.isPending}
          response={send.data}
          error={send.error}
        />
      ) : document.isPending || tokens.isPending ? (
        <p role="status">Loading the API description…</p>
      ) : null}
    </section>
  );
}
