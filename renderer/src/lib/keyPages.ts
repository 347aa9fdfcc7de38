// Pages of the key list, asked of main as the table needs them (a vault of 100,000 keys is never
// filtered or held whole in the renderer). Every query change starts a new generation: answers
// of an older one are dropped, so a slow answer to "ab" never overwrites the answer to "abc".
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import { call } from '../api';
import type { KeyQueryIn, KeyRow } from './model';

export const PAGE_SIZE = 100;

export interface KeyPages {
  total: number | null;
  rowAt(index: number): KeyRow | undefined;
  /** asks for the pages covering rows [from, to] that are not loaded yet */
  ensure(from: number, to: number): void;
  /** re-asks for the loaded pages (after a change), keeping what is shown until the answer */
  reload(): void;
  error: unknown;
  generation: number;
}

type Query = Omit<KeyQueryIn, 'offset' | 'limit'>;

export function useKeyPages(query: Query, enabled = true): KeyPages {
  const [pages, setPages] = useState<Map<number, KeyRow[]>>(() => new Map());
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<unknown>();
  const generation = useRef(0);
  const inflight = useRef(new Set<number>());
  const shown = useRef(false);
  const queryRef = useRef(query);
  const key = JSON.stringify(query);
  queryRef.current = query;
  const [gen, setGen] = useState(0);

  const fetchPage = useCallback((page: number, g: number, replace = false) => {
    inflight.current.add(page);
    call('keys.list', { ...queryRef.current, offset: page * PAGE_SIZE, limit: PAGE_SIZE })
      .then((answer) => {
        if (g !== generation.current) return; // stale: a newer query or reload owns the table
        inflight.current.delete(page);
        // a transition: React may yield while it renders the rows, so typing never waits on it.
        // A new query's first page replaces the old rows in one render (no flash of placeholders).
        const apply = () => {
          setTotal(answer.total);
          setError(undefined);
          setPages((old) => {
            const next = replace ? new Map<number, KeyRow[]>() : new Map(old);
            next.set(page, answer.items);
            return next;
          });
        };
        // the very first rows are urgent (first paint); later answers may wait for typing
        if (shown.current) startTransition(apply);
        else {
          shown.current = true;
          apply();
        }
      })
      .catch((e: unknown) => {
        if (g !== generation.current) return;
        inflight.current.delete(page);
        setError(e);
      });
  }, []);

  useEffect(() => {
    if (!enabled) return;
    generation.current += 1;
    const g = generation.current;
    inflight.current = new Set();
    setGen(g);
    fetchPage(0, g, true);
  }, [key, enabled, fetchPage]);

  const pagesRef = useRef(pages);
  pagesRef.current = pages;

  const ensure = useCallback(
    (from: number, to: number) => {
      const g = generation.current;
      for (let p = Math.floor(Math.max(0, from) / PAGE_SIZE); p <= Math.floor(Math.max(0, to) / PAGE_SIZE); p++) {
        if (!pagesRef.current.has(p) && !inflight.current.has(p)) fetchPage(p, g);
      }
    },
    [fetchPage],
  );

  const reload = useCallback(() => {
    generation.current += 1;
    const g = generation.current;
    inflight.current = new Set();
    const loaded = [...pagesRef.current.keys()];
    setGen(g);
    for (const p of loaded.length ? loaded : [0]) fetchPage(p, g);
  }, [fetchPage]);

  const rowAt = useCallback((index: number) => pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE], [pages]);

  return { total, rowAt, ensure, reload, error, generation: gen };
}
