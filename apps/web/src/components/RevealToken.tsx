import { useId } from 'react';
import { CopyButton } from './CopyButton.tsx';
import { Dialog } from './Dialog.tsx';

/**
 * The one-time reveal of a new (or rotated) token. The secret lives only in the parent's component state:
 * closing this dialog or reloading the page loses it for good, as the server never returns it again.
 */
export function RevealToken({
  title,
  name,
  token,
  onClose,
}: {
  title: string;
  name: string;
  token: string;
  onClose: () => void;
}) {
  const warningId = useId();
  return (
    <Dialog title={title} onClose={onClose} describedBy={warningId}>
      <p>
        Your token <strong>{name}</strong>:
      </p>
      <div className="reveal">
        <code className="reveal-token" data-testid="revealed-token">
          {token}
        </code>
        <CopyButton text={token} label="Copy token" />
      </div>
      <p className="alert alert-warning" id={warningId}>
        Copy it now and store it somewhere safe: it will not be shown again.
      </p>
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          I have copied it
        </button>
      </div>
    </Dialog>
  );
}
