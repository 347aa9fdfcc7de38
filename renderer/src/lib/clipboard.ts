/** Copies NON-secret text (a public key) from the renderer. Secrets are copied by main (keys.copy),
 * which also clears the clipboard afterwards. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
