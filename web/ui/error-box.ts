// The chat's one error line (role="alert"), shared by the start-up code and the chat.
import { element } from './dom.js';

/** Shows `message`, or hides the line when it is undefined. */
export function showError(message: string | undefined): void {
  const box = element('error', HTMLParagraphElement);
  box.hidden = message === undefined;
  box.textContent = message ?? '';
}
