import { type Role, roleAllows, SCOPES, type Scope, type ScopeDefinition } from '@tollgate/domain';
import { useId } from 'react';

/** The scope catalogue of §4 by category, in catalogue order (from the domain package: one source of truth). */
function groupedScopes(): [string, ScopeDefinition[]][] {
  const groups = new Map<string, ScopeDefinition[]>();
  for (const scope of SCOPES) groups.set(scope.category, [...(groups.get(scope.category) ?? []), scope]);
  return [...groups];
}

export interface ScopePickerProps {
  /** The creator's role: scopes beyond its ceiling are shown but cannot be chosen. */
  role: Role;
  value: ReadonlySet<Scope>;
  onChange: (next: Set<Scope>) => void;
  /** An error to show under the picker (e.g. no scope chosen). */
  error?: string | undefined;
}

/** Scope checkboxes grouped by category, each with its description; those beyond the role say why they are off. */
export function ScopePicker({ role, value, onChange, error }: ScopePickerProps) {
  const id = useId();
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
              const allowed = roleAllows(role, scope.name);
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
                      Not available: your role ({role}) cannot grant this scope.
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
