import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { type RouterOutputs, useTRPC } from '../lib/trpc.ts';
import { Dialog } from './Dialog.tsx';
import { ErrorMessage } from './ErrorMessage.tsx';

export type Token = Pick<RouterOutputs['tokens']['list']['data'][number], 'id' | 'name'>;
export type RotatedToken = RouterOutputs['tokens']['rotate'];

const GRACE_CHOICES = [
  { seconds: 0, label: 'None: the old secret stops working at once' },
  { seconds: 3_600, label: '1 hour' },
  { seconds: 86_400, label: '1 day' },
  { seconds: 3 * 86_400, label: '3 days' },
  { seconds: 7 * 86_400, label: '7 days (the longest allowed)' },
];

export function RotateDialog({
  token,
  onClose,
  onRotated,
}: {
  token: Token;
  onClose: () => void;
  onRotated: (token: RotatedToken) => void;
}) {
  const trpc = useTRPC();
  const id = useId();
  const [grace, setGrace] = useState(0);
  const rotate = useMutation(trpc.tokens.rotate.mutationOptions({ onSuccess: onRotated }));
  return (
    <Dialog title={`Rotate “${token.name}”`} onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          rotate.mutate({ id: token.id, gracePeriodSeconds: grace });
        }}
      >
        <p>A new secret is issued with the same settings. Update every place that uses the old one.</p>
        <div className="field">
          <label htmlFor={`${id}-grace`}>Grace period for the old secret</label>
          <select id={`${id}-grace`} value={grace} onChange={(event) => setGrace(Number(event.target.value))}>
            {GRACE_CHOICES.map((choice) => (
              <option key={choice.seconds} value={choice.seconds}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        <ErrorMessage error={rotate.error} />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={rotate.isPending}>
            Rotate token
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function RevokeDialog({
  token,
  onClose,
  onDone,
}: {
  token: Token;
  onClose: () => void;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: onDone }));
  return (
    <Dialog title={`Revoke “${token.name}”?`} onClose={onClose}>
      <p>
        Requests with this token are refused at once. Revoking cannot be undone; the token stays listed as
        revoked for the record.
      </p>
      <ErrorMessage error={revoke.error} />
      <div className="form-actions">
        <button type="button" className="button" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={revoke.isPending}
          onClick={() => revoke.mutate({ id: token.id })}
        >
          Revoke token
        </button>
      </div>
    </Dialog>
  );
}

/** Deleting is permanent, so the person types the token's name to confirm it (as GitHub does for repositories). */
export function DeleteDialog({
  token,
  onClose,
  onDone,
}: {
  token: Token;
  onClose: () => void;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const id = useId();
  const [typed, setTyped] = useState('');
  const remove = useMutation(trpc.tokens.delete.mutationOptions({ onSuccess: onDone }));
  const matches = typed === token.name;
  return (
    <Dialog title={`Delete “${token.name}”?`} onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          if (matches) remove.mutate({ id: token.id });
        }}
      >
        <p>
          The token is removed for good and stops working. Its audit log entries remain. To confirm, type its
          name: <strong className="confirm-name">{token.name}</strong>
        </p>
        <div className="field">
          <label htmlFor={`${id}-confirm`}>Token name</label>
          <input
            id={`${id}-confirm`}
            value={typed}
            autoComplete="off"
            onChange={(event) => setTyped(event.target.value)}
          />
        </div>
        <ErrorMessage error={remove.error} />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-danger" disabled={!matches || remove.isPending}>
            Delete token
          </button>
        </div>
      </form>
    </Dialog>
  );
}
