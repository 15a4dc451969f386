import { app } from '@microsoft/teams-js';

/**
 * Opens a download link of the app (a file the server answers as an attachment). In Teams the host
 * opens it (`app.openLink`): a link or blob clicked inside the tab's frame does nothing in the new
 * Teams client on the desktop and on phones. Outside Teams, or if the host refuses, a plain link.
 */
export async function openDownload(url: string): Promise<void> {
  if (app.isInitialized()) {
    try {
      await app.openLink(url);
      return;
    } catch {
      // An older host without openLink for web addresses: the plain link below.
    }
  }
  const a = document.createElement('a');
  a.href = url;
  a.download = '';
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}
