import { useState } from 'react';
import { copyText } from '../lib/format.ts';

/** Copies `text` and says so (politely, for screen readers too). */
export function CopyButton({
  text,
  label = 'Copy',
  onCopied,
}: {
  text: string;
  label?: string;
  onCopied?: () => void;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <span className="copy">
      <button
        type="button"
        className="button"
        onClick={async () => {
          const copied = await copyText(text);
          setState(copied ? 'copied' : 'failed');
          if (copied) onCopied?.();
        }}
      >
        {label}
      </button>
      <span role="status" className="copy-status">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the text and copy it' : ''}
      </span>
    </span>
  );
}
