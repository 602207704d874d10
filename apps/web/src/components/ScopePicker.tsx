import { type Role, SCOPES, type Scope, type ScopeDefinition } from '@tollgate/domain';
import { useId } from 'react';
import { ceilingAllows, type ScopeCeiling } from '../lib/create-token.ts';

/** The scope catalogue of §4 by category, in catalogue order (from the domain package: one source of truth). */
function groupedScopes(): [string, ScopeDefinition[]][] {
  const groups = new Map<string, ScopeDefinition[]>();
  for (const scope of SCOPES) groups.set(scope.category, [...(groups.get(scope.category) ?? []), scope]);
  return [...groups];
}

export interface ScopePickerProps {
  /** The creator's role (or the creator's and the subject's): scopes beyond it are shown but cannot be chosen. */
  role: Role | ScopeCeiling;
  value: ReadonlySet<Scope>;
  onChange: (next: Set<Scope>) => void;
  /** An error to show under the picker (e.g. no scope chosen). */
  error?: string | undefined;
}

function reasonOf(ceiling: ScopeCeiling, scope: Scope): string {
  if (ceilingAllows({ creatorRole: ceiling.creatorRole }, scope)) {
    const subject = ceiling.subject;
    return `Not available: ${subject?.name ?? 'the member'} is ${subject?.role === 'admin' || subject?.role === 'owner' ? 'an' : 'a'} ${subject?.role}, who cannot hold this scope.`;
  }
  return `Not available: your role (${ceiling.creatorRole}) cannot grant this scope.`;
}

/** Scope checkboxes grouped by category, each with its description; those beyond the ceiling say why they are off. */
export function ScopePicker({ role, value, onChange, error }: ScopePickerProps) {
  const id = useId();
  const ceiling: ScopeCeiling = typeof role === 'string' ? { creatorRole: role } : role;
  const toggle = (scope: Scope, checked: boolean) => {
    const next = new Set(value);
    if (checked) next.add(scope);
    else next.delete(scope);
    onChange(next);
  };
  return (
    <fieldset className="scope-picker" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>Scopes</legend>
      <p className="hint">
        A <code>:write</code> scope includes its <code>:read</code>. Scopes never change after creation.
      </p>
      <div className="scope-groups">
        {groupedScopes().map(([category, scopes]) => (
          <div className="scope-group" key={category}>
            <h3>{category}</h3>
            {scopes.map((scope) => {
              const allowed = ceilingAllows(ceiling, scope.name);
              const inputId = `${id}-${scope.name}`;
              return (
                <div className={allowed ? 'scope' : 'scope scope-disabled'} key={scope.name}>
                  <input
                    type="checkbox"
                    id={inputId}
                    name="scopes"
                    value={scope.name}
                    checked={allowed && value.has(scope.name)}
                    disabled={!allowed}
                    onChange={(event) => toggle(scope.name, event.target.checked)}
                    aria-describedby={`${inputId}-description${allowed ? '' : ` ${inputId}-reason`}`}
                  />
                  <label htmlFor={inputId}>
                    <code>{scope.name}</code>
                  </label>
                  <span className="scope-description" id={`${inputId}-description`}>
                    {scope.description}
                  </span>
                  {allowed ? null : (
                    <span className="scope-reason" id={`${inputId}-reason`}>
                      {reasonOf(ceiling, scope.name)}
                    </span>
                  )}
                </div>
              );
            })}
          </div>
        ))}
      </div>
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
