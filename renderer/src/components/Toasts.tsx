// Short confirmations ("Copied; the clipboard clears in 30 s") announced politely. While a modal
// dialog is open the rest of the page is inert and under its backdrop, so the toasts are shown
// inside the topmost open dialog instead.
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

const ToastContext = createContext<(text: string) => void>(() => undefined);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<{ id: number; text: string }[]>([]);
  const show = useCallback((text: string) => {
    const id = Date.now() + Math.random();
    setToasts((t) => [...t.slice(-1), { id, text }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), 4000);
  }, []);
  const region = (
    <div className="toast-region" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className="toast" data-testid="toast">
          {t.text}
        </div>
      ))}
    </div>
  );
  const dialog = toasts.length > 0 ? Array.from(document.querySelectorAll('dialog[open]')).pop() : undefined;
  return (
    <ToastContext.Provider value={show}>
      {children}
      {dialog ? createPortal(region, dialog) : region}
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext);
