/**
 * The evidence page's script (../evidence-upload-page.ts): uploads each chosen file with its
 * presigned POST, one after the other, and marks the list done. Bundled into
 * scripts.generated.ts by `npm run build:browser`.
 */
import { pageData, type EvidenceUploadData } from './page-data';
import { upload } from './upload';

const form = document.getElementById('evidence-form') as HTMLFormElement;
const t = pageData<EvidenceUploadData>(form);
document.getElementById('needs-script')!.remove();
form.querySelector<HTMLButtonElement>('button[type=submit]')!.disabled = false;
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = form.elements.namedItem('files') as HTMLInputElement;
  const files = input.files!;
  if (!files.length) return input.focus();
  const button = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
  button.disabled = true;
  const list = document.getElementById('uploads')!;
  list.dataset.done = 'false';
  for (const file of files) await upload(file, `${t('api')}/complaints/${t('complaint')}`, t('token'), list, t);
  list.dataset.done = 'true';
  form.reset();
  button.disabled = false;
});
