// What the window around the renderer can do: Electron has native file dialogs and opens links in
// the user's browser; the e2e bridge (and a plain browser) has neither, so path fields stay typed.
import { useEffect, useState } from 'react';
import { call } from '../api';

let native: Promise<boolean> | undefined;

/** Whether main can show native file dialogs (asked once per window). */
export function hasNativeDialogs(): Promise<boolean> {
  native ??= call('app.info', {}).then(
    (info) => info.harness === 'electron',
    () => false,
  );
  return native;
}

/** hasNativeDialogs as state, so a click handler can act synchronously (a file input's click()
 * needs the user's gesture, which an await would lose). undefined until known. */
export function useNativeDialogs(): boolean | undefined {
  const [value, setValue] = useState<boolean>();
  useEffect(() => {
    let live = true;
    void hasNativeDialogs().then((v) => live && setValue(v));
    return () => {
      live = false;
    };
  }, []);
  return value;
}

export interface FileFilter {
  name: string;
  extensions: string[];
}

export type FileDialogSpec =
  { mode: 'open'; title: string; filters?: FileFilter[] } | { mode: 'save'; title: string; defaultPath?: string; filters?: FileFilter[] };

/** A file main's dialog returned: its path, and the token main wants back with it (main reads or
 * writes only files its own dialog returned: docs/SECURITY.md). */
export interface ChosenFile {
  path: string;
  token: string;
}

/** Shows main's file dialog; the chosen file, or null (cancelled, or no desktop). */
export async function chooseFile(spec: FileDialogSpec): Promise<ChosenFile | null> {
  const { mode, ...options } = spec;
  const r = mode === 'open' ? await call('desktop.openFile', options) : await call('desktop.saveFile', options);
  return r.path !== null && r.token !== null ? { path: r.path, token: r.token } : null;
}

/** The token to send with a path, when it came from the dialog (a typed path has none). */
export const withToken = (token: string | undefined) => (token ? { token } : {});

/** The last part of a path, for a default name. */
export const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

export const BACKUP_FILTERS: FileFilter[] = [
  { name: 'Keyhold backup', extensions: ['khb'] },
  { name: 'All files', extensions: ['*'] },
];
