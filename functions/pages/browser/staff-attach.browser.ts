/**
 * The staff case page's upload control (../conversation.ts): each chosen file gets the message
 * attachment upload (POST /staff/complaints/{id}/attachments with the page nonce), goes to the
 * store, and once the desk has checked and recorded it, appears ticked in the message form as an
 * attachment. A file the checks refuse is said to be refused. Bundled by `npm run build:browser`.
 */
import { pageData, type StaffAttachData } from './page-data';
import { declared, grantOf, uploadThrough } from './upload';

const form = document.getElementById('message-form') as HTMLFormElement;
const t = pageData<StaffAttachData>(form);
const input = document.getElementById('message-files') as HTMLInputElement;
const list = document.getElementById('message-uploads')!;
input.disabled = false;
document.getElementById('message-files-needs-script')?.remove();

/** Whether the case lists the file as recorded evidence yet: asked again, less often, for about a minute. */
async function recorded(evidenceId: string): Promise<boolean> {
  for (let pause = 250; pause < 20_000; pause *= 2) {
    await new Promise((resolve) => setTimeout(resolve, pause));
    const answer = await fetch(t('caseUrl'), { headers: { accept: 'application/json' } }).catch(() => undefined);
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
            headers: { 'content-type': 'application/json', accept: 'application/json', 'x-redress-nonce': t('nonce') },
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
