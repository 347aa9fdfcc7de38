// The theme is a display preference, not a secret: kept in localStorage so the unlock screen
// already wears it. 'system' follows prefers-color-scheme through the stylesheet.
import { THEMES } from '../../../main/api/constants';

export type Theme = (typeof THEMES)[number];
export { THEMES };
const STORAGE = 'keyhold.theme';

export function currentTheme(): Theme {
  try {
    const t = localStorage.getItem(STORAGE);
    return t === 'light' || t === 'dark' ? t : 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(theme: Theme = currentTheme()): void {
  if (theme === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', theme);
}

export function setTheme(theme: Theme): void {
  try {
    localStorage.setItem(STORAGE, theme);
  } catch {
    // storage unavailable: the choice lasts for this window only
  }
  applyTheme(theme);
}
