// Small inline SVG icons (no image requests, no icon font). Decorative unless labelled.
import type { Provider } from '../../../main/api';

export type ProviderName = Provider;

const PLATFORM_COLORS: Record<ProviderName, string> = {
  syncano: '#1e6ff1',
  rancher: '#0075a8',
  encord: '#6b4ce6',
  github: '#24292f',
  local: '#5b6472',
  rancher2: '#2453ff',
};

export const PLATFORM_LABELS: Record<ProviderName, string> = {
  syncano: 'Syncano',
  rancher: 'Rancher',
  encord: 'Encord',
  github: 'GitHub',
  local: 'Local',
  rancher2: 'Rancher 2',
};

export function PlatformIcon({ provider, label }: { provider: ProviderName; label?: boolean }) {
  const color = PLATFORM_COLORS[provider];
  const glyph = {
    syncano: (
      <path
        d="M12.5 6.2c-.8-.9-2-1.4-3.4-1.4-1.9 0-3.2 1-3.2 2.4 0 3.1 6.4 1.8 6.4 5.2 0 1.5-1.4 2.6-3.4 2.6-1.5 0-2.8-.6-3.6-1.6"
        fill="none"
        stroke="#fff"
        strokeWidth="1.8"
        strokeLinecap="round"
      />
    ),
    rancher: <path d="M4.5 13V6.5h2.2l1.8 2.6 1.8-2.6h2.2V13M7 9.5h4" fill="none" stroke="#fff" strokeWidth="1.7" strokeLinejoin="round" />,
    encord: <path d="M12.5 5.5h-6v7h6M6.5 9h5" fill="none" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" />,
    github: (
      <path
        d="M9 4.5a4.5 4.5 0 0 0-1.4 8.8v-1.6c-1.3.3-1.6-.6-1.6-.6-.2-.5-.5-.7-.5-.7-.4-.3 0-.3 0-.3.5 0 .7.5.7.5.4.7 1.1.5 1.4.4 0-.3.2-.5.3-.6-1-.1-2.1-.5-2.1-2.2 0-.5.2-.9.5-1.2-.1-.1-.2-.6 0-1.2 0 0 .4-.1 1.3.5a4.3 4.3 0 0 1 2.3 0c.9-.6 1.3-.5 1.3-.5.2.6.1 1.1 0 1.2.3.3.5.7.5 1.2 0 1.7-1.1 2.1-2.1 2.2.2.1.3.4.3.8v1.9A4.5 4.5 0 0 0 9 4.5z"
        fill="#fff"
      />
    ),
    rancher2: <path d="M4.5 13V6.5h2.2l1.8 2.6 1.8-2.6h2.2V13" fill="none" stroke="#fff" strokeWidth="1.7" strokeLinejoin="round" />,
    local: (
      <path
        d="M7.2 10.6a2.6 2.6 0 1 1 1.9-1.9l4 4v1.4h-1.5v-1.2h-1.2v-1.2H9.2z"
        fill="none"
        stroke="#fff"
        strokeWidth="1.5"
        strokeLinejoin="round"
      />
    ),
  }[provider];
  return (
    <svg
      className="platform-icon"
      viewBox="0 0 18 18"
      role={label ? 'img' : undefined}
      aria-label={label ? PLATFORM_LABELS[provider] : undefined}
      aria-hidden={label ? undefined : true}
    >
      <rect width="18" height="18" rx="4" fill={color} />
      {glyph}
    </svg>
  );
}

export function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 36 36" aria-hidden="true">
      <rect width="36" height="36" rx="9" fill="var(--accent)" />
      <path
        d="M18 8l8 3.2v6.3c0 5-3.4 8.8-8 10.5-4.6-1.7-8-5.5-8-10.5v-6.3z"
        fill="none"
        stroke="var(--accent-text)"
        strokeWidth="2"
        strokeLinejoin="round"
      />
      <circle cx="18" cy="16.5" r="2.4" fill="var(--accent-text)" />
      <path d="M18 18.5v4" stroke="var(--accent-text)" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

export function SearchIcon() {
  return (
    <svg viewBox="0 0 16 16" aria-hidden="true">
      <circle cx="7" cy="7" r="4.8" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M10.6 10.6L14 14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}

export function LockIcon() {
  return (
    <svg viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
      <rect x="3" y="7" width="10" height="7" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}

export function GearIcon() {
  return (
    <svg viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
      <circle cx="8" cy="8" r="2.2" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path
        d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinecap="round"
      />
    </svg>
  );
}

export function SortIcon({ dir }: { dir: 'asc' | 'desc' | null }) {
  if (!dir)
    return (
      <svg viewBox="0 0 10 10" width="9" height="9" aria-hidden="true">
        <path d="M2 4l3-3 3 3M2 6l3 3 3-3" fill="none" stroke="currentColor" strokeWidth="1.2" opacity="0.5" />
      </svg>
    );
  return (
    <svg viewBox="0 0 10 10" width="9" height="9" aria-hidden="true">
      <path d={dir === 'asc' ? 'M2 6.5l3-3 3 3' : 'M2 3.5l3 3 3-3'} fill="none" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}
