// The search field keeps its own text, so a keystroke re-renders only this field; the table
// hears the settled text (debounced) and asks main for the matching page.
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { SearchIcon } from './icons';

export interface SearchBoxHandle {
  focus(): void;
}

export const SearchBox = forwardRef<SearchBoxHandle, { onSettled(text: string): void; delayMs?: number; onLeave(): void }>(
  function SearchBox({ onSettled, delayMs = 100, onLeave }, ref) {
    const [text, setText] = useState('');
    const input = useRef<HTMLInputElement>(null);
    const settled = useRef(onSettled);
    settled.current = onSettled;
    useImperativeHandle(ref, () => ({
      focus() {
        input.current?.focus();
        input.current?.select();
      },
    }));
    useEffect(() => {
      const t = setTimeout(() => settled.current(text.trim()), delayMs);
      return () => clearTimeout(t);
    }, [text, delayMs]);
    return (
      <div className="search">
        <SearchIcon />
        <label htmlFor="key-search" className="visually-hidden">
          Search keys
        </label>
        <input
          id="key-search"
          ref={input}
          className="input"
          type="search"
          placeholder="Search keys, public keys, fingerprints"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'Enter') {
              e.preventDefault();
              onLeave();
            } else if (e.key === 'Escape' && text) {
              setText('');
            }
          }}
          autoComplete="off"
          spellCheck={false}
        />
        {!text && <kbd aria-hidden="true">/</kbd>}
      </div>
    );
  },
);
