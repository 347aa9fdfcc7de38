// The key table: a virtualized ARIA grid over pages that main answers. One tab stop; arrows move
// the current row, Enter opens it, Space ticks it for bulk actions, Delete asks to remove.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { PlatformIcon, SortIcon } from '../components/icons';
import { formatDate, kindLabel, publicSummary, stateLabel } from '../lib/format';
import type { KeyPages } from '../lib/keyPages';
import type { SortField } from '../lib/model';

const ROW_H = 36;

interface Column {
  id: string;
  label: string;
  sort?: SortField;
}

const COLUMNS: Column[] = [
  { id: 'name', label: 'Name', sort: 'name' },
  { id: 'kind', label: 'Kind', sort: 'kind' },
  { id: 'workspace', label: 'Workspace' },
  { id: 'state', label: 'State', sort: 'state' },
  { id: 'public', label: 'Public part / fingerprint' },
  { id: 'created', label: 'Created', sort: 'createdAt' },
  { id: 'rotated', label: 'Rotated', sort: 'rotatedAt' },
];

export interface KeyTableProps {
  pages: KeyPages;
  active: number;
  setActive(index: number): void;
  onOpen(id: string): void;
  selected: Set<string>;
  onToggle(id: string): void;
  onToggleAll(): void;
  onDelete(ids: string[]): void;
  sort: SortField;
  order: 'asc' | 'desc';
  onSort(field: SortField): void;
  emptyText: React.ReactNode;
}

export function KeyTable(props: KeyTableProps) {
  const { pages, active, setActive, onOpen, selected, onToggle, sort, order, onSort } = props;
  const total = pages.total ?? 0;
  const scrollRef = useRef<HTMLDivElement>(null);
  const firstPaint = useRef(false);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 12,
    scrollPaddingStart: 34,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (total > 0) pages.ensure(first, last);
  }, [first, last, total, pages.ensure, pages.rowAt]); // eslint-disable-line react-hooks/exhaustive-deps

  // For the first-paint bench: mark when the first real rows are on screen.
  const haveRows = total > 0 && pages.rowAt(0) !== undefined;
  useLayoutEffect(() => {
    if (!haveRows || firstPaint.current) return;
    firstPaint.current = true;
    performance.mark('keyhold:first-rows-rendered');
    requestAnimationFrame(() => performance.mark('keyhold:first-rows-painted'));
  }, [haveRows]);

  const move = (to: number) => {
    if (total === 0) return;
    const i = Math.max(0, Math.min(total - 1, to));
    setActive(i);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_H) - 1);
    const row = pages.rowAt(active);
    switch (e.key) {
      case 'ArrowDown':
        move(active + 1);
        break;
      case 'ArrowUp':
        move(active - 1);
        break;
      case 'PageDown':
        move(active + page);
        break;
      case 'PageUp':
        move(active - page);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(total - 1);
        break;
      case 'Enter':
        if (row) onOpen(row.id);
        break;
      case ' ':
        if (row) onToggle(row.id);
        break;
      case 'Delete':
      case 'Backspace': {
        const ids = selected.size > 0 ? [...selected] : row ? [row.id] : [];
        if (ids.length) props.onDelete(ids);
        break;
      }
      case 'a':
        if (e.ctrlKey || e.metaKey) props.onToggleAll();
        else return;
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const activeRow = pages.rowAt(active);

  const empty = total === 0 && pages.total !== null;
  return (
    <>
      <div
        ref={scrollRef}
        className={`grid${empty ? ' empty-grid' : ''}`}
        role="grid"
        aria-label="Keys"
        aria-rowcount={total + 1}
        aria-colcount={COLUMNS.length + 1}
        aria-multiselectable="true"
        tabIndex={0}
        aria-activedescendant={activeRow && items.some((v) => v.index === active) ? `key-row-${active}` : undefined}
        onKeyDown={onKeyDown}
        data-testid="key-table"
      >
        <div role="rowgroup">
          <div className="grid-head" role="row" aria-rowindex={1}>
            <div className="th" role="columnheader">
              <span className="visually-hidden">Selected</span>
            </div>
            {COLUMNS.map((c) => (
              <div
                key={c.id}
                className={`th col-${c.id}`}
                role="columnheader"
                aria-sort={c.sort && c.sort === sort ? (order === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                {c.sort ? (
                  <button type="button" tabIndex={-1} onClick={() => onSort(c.sort!)} title={`Sort by ${c.label.toLowerCase()}`}>
                    {c.label} <SortIcon dir={c.sort === sort ? order : null} />
                  </button>
                ) : (
                  c.label
                )}
              </div>
            ))}
          </div>
        </div>
        {!empty && (
          <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((v) => {
              const row = pages.rowAt(v.index);
              const isSel = row ? selected.has(row.id) : false;
              return (
                <div
                  key={v.key}
                  id={`key-row-${v.index}`}
                  role="row"
                  aria-rowindex={v.index + 2}
                  aria-selected={isSel}
                  className={`grid-row${v.index === active ? ' active' : ''}`}
                  style={{ transform: `translateY(${v.start}px)` }}
                  data-testid={row ? 'key-row' : 'key-row-loading'}
                  data-key-id={row?.id}
                  onClick={() => {
                    setActive(v.index);
                    if (row) onOpen(row.id);
                  }}
                >
                  <div className="cell col-select" role="gridcell">
                    {row && (
                      <input
                        type="checkbox"
                        tabIndex={-1}
                        checked={isSel}
                        aria-label={`Select ${row.name}`}
                        onClick={(e) => e.stopPropagation()}
                        onChange={() => onToggle(row.id)}
                      />
                    )}
                  </div>
                  {row ? (
                    <>
                      <div className="cell name col-name" role="gridcell">
                        <span>{row.name}</span>
                        {row.remoteMissing && (
                          <span className="badge missing" title="Not found on the platform at the last sync">
                            gone remotely
                          </span>
                        )}
                      </div>
                      <div className="cell col-kind" role="gridcell">
                        {kindLabel(row.kind)}
                      </div>
                      <div className="cell name col-workspace" role="gridcell">
                        {row.workspace ? (
                          <>
                            {row.provider && <PlatformIcon provider={row.provider} />}
                            <span>
                              {row.workspace}
                              {row.environment ? ` / ${row.environment}` : ''}
                            </span>
                          </>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </div>
                      <div className="cell col-state" role="gridcell">
                        <span className={`badge state-${row.state}`}>{stateLabel(row.state)}</span>
                        {row.meta.expiresAt && row.state === 'active' && (
                          <span className="expiry muted" data-testid="key-expiry" title={`Expires ${row.meta.expiresAt}`}>
                            until {formatDate(row.meta.expiresAt)}
                          </span>
                        )}
                      </div>
                      <div className="cell mono col-public" role="gridcell">
                        {publicSummary(row)}
                      </div>
                      <div className="cell col-created" role="gridcell">
                        {formatDate(row.createdAt)}
                      </div>
                      <div className="cell col-rotated" role="gridcell">
                        {formatDate(row.rotatedAt)}
                      </div>
                    </>
                  ) : (
                    <div className="cell" role="gridcell" aria-label="Loading">
                      <span className="placeholder-bar" />
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
      {empty && <div className="empty">{props.emptyText}</div>}
    </>
  );
}
