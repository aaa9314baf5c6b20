import type { UploadTexts } from './page-data';

/** The fields of a problem-details answer the scripts show. */
export interface Problem {
  title?: string;
  detail?: string;
  whereElse?: string;
  errors?: { path: string; message: string }[];
}

/** POST /complaints/{id}/evidence's answer: a presigned POST for one object. */
export interface UploadGrant {
  url: string;
  fields: Record<string, string>;
  evidenceId?: string;
}

/** A grant's answer, or the problem it names (thrown as an Error with the fields' messages). */
export async function grantOf(answer: Response): Promise<UploadGrant> {
  const grant = (await answer.json()) as UploadGrant & Problem;
  if (!answer.ok) throw new Error((grant.errors || []).map((e) => e.message).join('; ') || grant.title);
  return grant;
}

/**
 * One file to the store through its grant, reported in a list item of `list`: the item says
 * uploading, then uploaded or failed. Resolves to the grant's evidence id once stored, else undefined.
 */
export async function uploadThrough(
  file: File,
  grant: () => Promise<UploadGrant>,
  list: HTMLElement,
  t: (key: keyof UploadTexts) => string,
): Promise<string | undefined> {
  const item = document.createElement('li');
  item.textContent = t('uploading') + file.name;
  list.appendChild(item);
  try {
    const granted = await grant();
    const data = new FormData();
    for (const [name, value] of Object.entries(granted.fields)) data.append(name, value);
    data.append('file', file);
    const stored = await fetch(granted.url, { method: 'POST', body: data });
    if (!stored.ok) throw new Error(String(stored.status));
    item.textContent = t('uploaded') + file.name;
    return granted.evidenceId || '';
  } catch (error) {
    item.textContent = `${t('uploadFailed') + file.name} (${(error as Error).message})`;
    item.className = 'error';
    return undefined;
  }
}

/** What a file is declared as when its upload is asked for. */
export function declared(file: File): { fileName: string; contentType: string; size: number } {
  return { fileName: file.name, contentType: file.type || 'application/octet-stream', size: file.size };
}

/**
 * Uploads one file the way the desk asks: a presigned POST for it (by the tracking token), then
 * the file straight to S3, reporting progress in a list item. Shared by the form and the
 * evidence page. `id` is the complaint's URL (`<api>/complaints/<id>`).
 */
export async function upload(
  file: File,
  id: string,
  token: string | null,
  list: HTMLElement,
  t: (key: keyof UploadTexts) => string,
): Promise<void> {
  await uploadThrough(
    file,
    async () =>
      grantOf(
        await fetch(`${id}/evidence?lang=${document.documentElement.lang}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(declared(file)),
        }),
      ),
    list,
    t,
  );
}
