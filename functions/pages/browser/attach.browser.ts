/**
 * A message form's upload control (../attachment-upload.ts: the staff case page, the
 * respondent's link): each chosen file gets its upload grant (with the page nonce, or the link's
 * token), goes to the store, and once the desk has checked and recorded it, appears ticked in the
 * form as an attachment. A file the checks refuse is said to be refused. Bundled by
 * `npm run build:browser`.
 */
import { pageData, type AttachData } from './page-data';
import { declared, grantOf, uploadThrough } from './upload';

const form = document.getElementById('message-form') as HTMLFormElement;
const t = pageData<AttachData>(form);
const auth: Record<string, string> = t('token')
  ? { authorization: `Bearer ${t('token')}` }
  : { 'x-redress-nonce': t('nonce') };
const input = document.getElementById('message-files') as HTMLInputElement;
const list = document.getElementById('message-uploads')!;
input.disabled = false;
document.getElementById('message-files-needs-script')?.remove();

/**
 * Whether the file is listed as recorded yet: asked again, less often (every 5 s at most), for two
 * minutes: a busy desk's checks can take longer than a few seconds, and a file said to be refused
 * must really have been.
 */
async function recorded(evidenceId: string): Promise<boolean> {
  for (let waited = 0, pause = 250; waited < 120_000; waited += pause, pause = Math.min(pause * 2, 5000)) {
    await new Promise((resolve) => setTimeout(resolve, pause));
    const answer = await fetch(t('poll'), { headers: { accept: 'application/json', ...auth } }).catch(() => undefined);
    if (!answer?.ok) continue;
    const view = (await answer.json()) as { evidence?: { id: string }[] };
    if ((view.evidence ?? []).some((file) => file.id === evidenceId)) return true;
  }
  return false;
}

input.addEventListener('change', async () => {
  const files = [...(input.files ?? [])];
  input.value = '';
  for (const file of files) {
    const evidenceId = await uploadThrough(
      file,
      async () =>
        grantOf(
          await fetch(t('grant'), {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json', ...auth },
            body: JSON.stringify(declared(file)),
          }),
        ),
      list,
      t,
    );
    if (!evidenceId) continue;
    const item = list.lastElementChild as HTMLElement;
    item.textContent = t('checking') + file.name;
    if (!(await recorded(evidenceId))) {
      item.textContent = t('notAccepted') + file.name;
      item.className = 'error';
      continue;
    }
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'attachments';
    box.value = evidenceId;
    box.checked = true;
    label.append(box, ` ${t('ready')}${file.name}`);
    item.textContent = '';
    item.append(label);
  }
});
