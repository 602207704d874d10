import { useEffect, useId, useRef, useState } from 'react';
import { CopyButton } from './CopyButton.tsx';
import { Dialog } from './Dialog.tsx';

/**
 * The one-time reveal of a new (or rotated) token. The secret lives only in the parent's component state:
 * closing this dialog or reloading the page loses it for good, as the server never returns it again. So Esc
 * and × ask first while it has not been copied (as GitHub does); "I have copied it" is the person's word.
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
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const goBack = useRef<HTMLButtonElement>(null);
  const reveal = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (confirming) goBack.current?.focus();
  }, [confirming]);
  const guardedClose = () => (copied ? onClose() : setConfirming(true));
  const back = () => {
    setConfirming(false);
    // The focused "Go back" goes away: focus stays in the dialog, on the copy button.
    reveal.current?.querySelector('button')?.focus();
  };
  return (
    <Dialog title={title} onClose={guardedClose} describedBy={warningId}>
      <p>
        Your token <strong>{name}</strong>:
      </p>
      <div className="reveal" ref={reveal}>
        <code className="reveal-token" data-testid="revealed-token">
          {token}
        </code>
        <CopyButton text={token} label="Copy token" onCopied={() => setCopied(true)} />
      </div>
      <p className="alert alert-warning" id={warningId}>
        Copy it now and store it somewhere safe: it will not be shown again.
      </p>
      {confirming ? (
        <div className="alert alert-error" role="alertdialog" aria-label="Close without copying?">
          <p>You have not copied the token. Once closed it cannot be shown again.</p>
          <div className="form-actions">
            <button type="button" className="button" onClick={back} ref={goBack}>
              Go back
            </button>
            <button type="button" className="button button-danger" onClick={onClose}>
              Close without copying
            </button>
          </div>
        </div>
      ) : null}
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          I have copied it
        </button>
      </div>
    </Dialog>
  );
}
