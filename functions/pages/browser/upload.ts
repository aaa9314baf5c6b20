import type { UploadTexts } from './page-data';

/** The fields of a problem-details answer the scripts show. */
export interface Problem {
  title?: string;
  detail?: string;
  whereElse?: string;
  errors?: { path: string; message: string }[];
}

/** POST /complaints/{id}/evidence's answer: a presigned POST for one object. */
interface UploadGrant {
  url: string;
  fields: Record<string, string>;
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
  const item = document.createElement('li');
  item.textContent = t('uploading') + file.name;
  list.appendChild(item);
  try {
    const asked = await fetch(`${id}/evidence?lang=${document.documentElement.lang}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        fileName: file.name,
        contentType: file.type || 'application/octet-stream',
        size: file.size,
      }),
    });
    const grant = (await asked.json()) as UploadGrant & Problem;
    if (!asked.ok) throw new Error((grant.errors || []).map((e) => e.message).join('; ') || grant.title);
    const data = new FormData();
    for (const [name, value] of Object.entries(grant.fields)) data.append(name, value);
    data.append('file', file);
    const stored = await fetch(grant.url, { method: 'POST', body: data });
    if (!stored.ok) throw new Error(String(stored.status));
    item.textContent = t('uploaded') + file.name;
  } catch (error) {
    item.textContent = `${t('uploadFailed') + file.name} (${(error as Error).message})`;
    item.className = 'error';
  }
}
