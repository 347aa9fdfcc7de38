// A tab list with its panel: arrow keys move between tabs (roving tabindex), as ARIA's tabs
// pattern asks.
import type { ReactNode } from 'react';

export interface TabsProps<T extends string> {
  tabs: readonly (readonly [T, string])[];
  value: T;
  onChange(tab: T): void;
  label: string;
  /** id prefixes of the tab buttons and the panel */
  ids: { tab: string; panel: string };
  children: ReactNode;
}

export function Tabs<T extends string>({ tabs, value, onChange, label, ids, children }: TabsProps<T>) {
  const move = (step: 1 | -1) => {
    const i = tabs.findIndex(([t]) => t === value);
    const next = tabs[(i + step + tabs.length) % tabs.length]![0];
    onChange(next);
    document.getElementById(`${ids.tab}${next}`)?.focus();
  };
  return (
    <>
      <div className="tabs" role="tablist" aria-label={label}>
        {tabs.map(([t, text]) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`${ids.tab}${t}`}
            aria-controls={`${ids.panel}${t}`}
            aria-selected={value === t}
            tabIndex={value === t ? 0 : -1}
            onClick={() => onChange(t)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowRight') move(1);
              else if (e.key === 'ArrowLeft') move(-1);
            }}
          >
            {text}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${ids.panel}${value}`} aria-labelledby={`${ids.tab}${value}`}>
        {children}
      </div>
    </>
  );
}
