import { deflateSync } from 'node:zlib';
import { stack } from './stack-client';

/** A real PNG (a w×h image of one colour), made here so tests need no binary fixtures. */
export function pngImage(width = 24, height = 16, rgb: [number, number, number] = [200, 40, 40]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function tokenOf(trackingUrl: string): string {
  return new URL(trackingUrl).searchParams.get('token')!;
}

export async function requestUpload(
  complaintId: string,
  token: string | undefined,
  body: unknown,
  how: 'bearer' | 'query' = 'bearer',
) {
  const url = `${stack().api}/complaints/${complaintId}/evidence${how === 'query' && token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(how === 'bearer' && token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { response, json: (await response.json()) as any };
}

/** An upload grant (201), or a failure that says what was answered instead. */
export async function grantUpload(complaintId: string, token: string | undefined, body: unknown) {
  const { response, json } = await requestUpload(complaintId, token, body);
  if (response.status !== 201)
    throw new Error(`upload grant answered ${response.status}, expected 201: ${JSON.stringify(json)}`);
  return json as {
    url: string;
    fields: Record<string, string> & { key: string };
    evidenceId: string;
    [field: string]: any;
  };
}

/** What a browser does with the presigned POST: the fields, then the file. */
export async function postToS3(
  grant: { url: string; fields: Record<string, string> },
  bytes: Buffer,
  contentType: string,
  fileName = 'file',
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(grant.fields))
    form.append(name, name === 'Content-Type' ? contentType : value);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), fileName);
  return fetch(grant.url, { method: 'POST', body: form });
}
