// A small disclosure menu: a button that opens a list of actions; Escape or a click outside closes.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export interface MenuItem {
  label: string;
  onSelect(): void;
  disabled?: boolean;
}

export function Menu({
  label,
  items,
  buttonClass = 'btn',
  buttonContent,
}: {
  label: string;
  items: MenuItem[];
  buttonClass?: string;
  buttonContent?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDoc);
    ref.current?.querySelector<HTMLButtonElement>('.menu-list button:not(:disabled)')?.focus();
    return () => document.removeEventListener('mousedown', onDoc);
  }, [open]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!open) return;
    const buttons = Array.from(ref.current?.querySelectorAll<HTMLButtonElement>('.menu-list button:not(:disabled)') ?? []);
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') {
      e.stopPropagation();
      setOpen(false);
      button.current?.focus();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      buttons[(at + 1) % buttons.length]?.focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      buttons[(at - 1 + buttons.length) % buttons.length]?.focus();
    }
  };

  return (
    <div className="menu" ref={ref} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        className={buttonClass}
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={buttonContent ? label : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        {buttonContent ?? label}
      </button>
      {open && (
        <ul className="menu-list" id={id}>
          {items.map((item) => (
            <li key={item.label}>
              <button
                type="button"
                disabled={item.disabled}
                onClick={() => {
                  setOpen(false);
                  // focus goes back to the menu button first, so a dialog opened now returns it there
                  button.current?.focus();
                  item.onSelect();
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
