/**
 * The staff entry form's script (../staff-pages.ts newComplaintPage): with the caller's files
 * chosen, the form is sent asking for JSON with the files declared (`evidence`), each file then
 * goes to the store through its grant, and the case page opens. Without files, or without this
 * script, the form posts as any form does. Bundled by `npm run build:browser`.
 */
import { pageData, type StaffEntryData } from './page-data';
import { declared, uploadThrough, type UploadGrant } from './upload';

const form = document.getElementById('entry-form') as HTMLFormElement;
const t = pageData<StaffEntryData>(form);
const input = document.getElementById('evidence-files') as HTMLInputElement;
const evidence = form.elements.namedItem('evidence') as HTMLInputElement;
input.disabled = false;
document.getElementById('evidence-needs-script')?.remove();

interface Filed {
  id?: string;
  duplicateOf?: { id: string };
  uploads?: (UploadGrant & { fileName: string })[];
}

form.addEventListener('submit', async (event) => {
  const files = [...(input.files ?? [])];
  if (!files.length) return;
  event.preventDefault();
  evidence.value = JSON.stringify(files.map(declared));
  const button = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
  button.disabled = true;
  const fields = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (typeof value === 'string') fields.append(name, value);
  const answer = await fetch(form.action, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: fields,
  }).catch(() => undefined);
  // A refusal is shown as the form shows it without a script: the same fields posted as a page.
  if (!answer?.ok) return HTMLFormElement.prototype.submit.call(form);
  const filed = (await answer.json()) as Filed;
  const list = document.getElementById('evidence-uploads')!;
  const uploads = filed.uploads ?? [];
  let failed = false;
  for (const [i, file] of files.entries()) {
    const grant = uploads[i];
    if (grant && (await uploadThrough(file, async () => grant, list, t)) === undefined) failed = true;
  }
  const id = filed.id ?? filed.duplicateOf?.id;
  if (!id) return;
  const casePage = t('casePage').replace('{id}', encodeURIComponent(id));
  // A file that did not go up stays named in the list; the case is filed and opens from its link.
  if (!failed) return window.location.assign(casePage);
  const link = document.createElement('a');
  link.href = casePage;
  link.textContent = casePage;
  list.appendChild(document.createElement('li')).appendChild(link);
});
