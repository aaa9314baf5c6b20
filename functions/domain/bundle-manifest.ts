import { createHash } from 'node:crypto';

/**
 * The manifest of a case archive (`manifest.json`): what the archive is, and for every other file
 * in it its path, size and sha256, so whoever receives it (a regulator, a court, the complainant)
 * can show that nothing in it was changed, added or left out since the desk made it.
 */
export const MANIFEST_PATH = 'manifest.json';

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  kind: string;
  caseNumber: string;
  generatedAt: string;
  desk: string;
  algorithm: 'sha256';
  files: ManifestFile[];
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function manifestOf(
  header: Omit<Manifest, 'files' | 'algorithm'>,
  files: ReadonlyArray<{ path: string; bytes: Uint8Array }>,
): Manifest {
  return {
    ...header,
    algorithm: 'sha256',
    files: files.map(({ path, bytes }) => ({ path, size: bytes.byteLength, sha256: sha256Hex(bytes) })),
  };
}

export interface BundleProblem {
  path: string;
  problem: 'changed' | 'missing' | 'not-listed' | 'size' | 'manifest';
  detail: string;
}

/**
 * Checks an archive's files against its manifest: every listed file is there with its size and
 * hash, and nothing is there that the manifest does not list. Each difference names its file.
 */
export function verifyAgainstManifest(files: ReadonlyMap<string, Uint8Array>): BundleProblem[] {
  const raw = files.get(MANIFEST_PATH);
  if (!raw) return [{ path: MANIFEST_PATH, problem: 'missing', detail: 'the archive has no manifest.json' }];
  let manifest: Manifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(raw)) as Manifest;
    if (!Array.isArray(manifest.files)) throw new Error('no files list');
  } catch (error) {
    return [
      {
        path: MANIFEST_PATH,
        problem: 'manifest',
        detail: `manifest.json is not a manifest: ${(error as Error).message}`,
      },
    ];
  }
  const problems: BundleProblem[] = [];
  const listed = new Set<string>();
  for (const entry of manifest.files) {
    listed.add(entry.path);
    const bytes = files.get(entry.path);
    if (!bytes) {
      problems.push({ path: entry.path, problem: 'missing', detail: 'listed in the manifest, not in the archive' });
      continue;
    }
    const actual = sha256Hex(bytes);
    if (actual !== entry.sha256)
      problems.push({
        path: entry.path,
        problem: 'changed',
        detail: `sha256 is ${actual}, the manifest says ${entry.sha256}`,
      });
    else if (bytes.byteLength !== entry.size)
      problems.push({
        path: entry.path,
        problem: 'size',
        detail: `${bytes.byteLength} bytes, the manifest says ${entry.size}`,
      });
  }
  for (const path of files.keys())
    if (path !== MANIFEST_PATH && !listed.has(path) && !path.endsWith('/'))
      problems.push({ path, problem: 'not-listed', detail: 'in the archive, not in the manifest' });
  return problems;
}
