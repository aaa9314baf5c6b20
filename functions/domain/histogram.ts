/**
 * Time distributions of fixed size: a count per bucket of seconds, so a day of a million times
 * takes no more room than a day of ten, and two distributions add bucket by bucket (days into a
 * range, teams into the desk).
 *
 * Buckets: one per whole second below EXACT_BELOW (so short times are exact), then relative-error
 * buckets in the manner of DDSketch: bucket i holds (γ^(i-1), γ^i] with γ = (1+α)/(1-α), and its
 * value is 2γ^i/(γ+1), within α of every value in it. With α = 1.5 % and the value rounded to a
 * whole second (at most 0.5 s, which is 0.5 % of 100 s), a percentile read from the buckets is
 * within RELATIVE_ERROR (2 %) of the nearest-rank percentile of the times themselves. A year in
 * seconds needs about 520 buckets, so a distribution is bounded whatever it counts.
 */
export const EXACT_BELOW = 100;
export const BUCKET_ALPHA = 0.015;
/** What a percentile read from a histogram may be off by, relative to the exact nearest-rank value. */
export const RELATIVE_ERROR = 0.02;
const GAMMA = (1 + BUCKET_ALPHA) / (1 - BUCKET_ALPHA);
const LN_GAMMA = Math.log(GAMMA);
/** The log-bucket index of EXACT_BELOW: bucket EXACT_BELOW is the first above the exact ones. */
const FIRST_LOG = Math.ceil(Math.log(EXACT_BELOW) / LN_GAMMA);

/** Bucket → count. */
export type Histogram = Map<number, number>;

/** The bucket a time (whole seconds, never negative) falls in. */
export function bucketOf(seconds: number): number {
  const v = Math.max(0, Math.round(seconds));
  if (v < EXACT_BELOW) return v;
  // The log index, guarded against floating-point error at a bucket's edge.
  let i = Math.ceil(Math.log(v) / LN_GAMMA);
  if (GAMMA ** (i - 1) >= v) i--;
  else if (GAMMA ** i < v) i++;
  return EXACT_BELOW + Math.max(0, i - FIRST_LOG);
}

/** The value a bucket stands for, in whole seconds. */
export function bucketValue(bucket: number): number {
  if (bucket < EXACT_BELOW) return bucket;
  const i = bucket - EXACT_BELOW + FIRST_LOG;
  return Math.round((2 * GAMMA ** i) / (GAMMA + 1));
}

export function histogramOf(values: Iterable<number>): Histogram {
  const h: Histogram = new Map();
  for (const v of values) addTo(h, bucketOf(v), 1);
  return h;
}

export function addTo(h: Histogram, bucket: number, n: number): void {
  const next = (h.get(bucket) ?? 0) + n;
  if (next) h.set(bucket, next);
  else h.delete(bucket);
}

/** `into` += `from` (or -= with sign -1): histograms add and subtract bucket by bucket. */
export function mergeInto(into: Histogram, from: Histogram | undefined, sign = 1): Histogram {
  if (from) for (const [bucket, n] of from) addTo(into, bucket, sign * n);
  return into;
}

export function countOf(h: Histogram | undefined): number {
  let n = 0;
  if (h) for (const c of h.values()) n += c;
  return n;
}

/** Nearest-rank percentile (rank ⌈p·n⌉) read from the buckets; undefined when empty. */
export function percentileOf(h: Histogram | undefined, p: number): number | undefined {
  const n = countOf(h);
  if (!h || !n) return undefined;
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  let seen = 0;
  for (const bucket of [...h.keys()].sort((a, b) => a - b)) {
    seen += h.get(bucket)!;
    if (seen >= rank) return bucketValue(bucket);
  }
  return undefined;
}

// ---- Storage: buckets as varints (bucket gaps and counts), a few bytes per filled bucket.

function pushVarint(out: number[], n: number): void {
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** The histogram as bytes: for each filled bucket in order, the gap from the last and its count. Negative counts are not stored. */
export function packHistogram(h: Histogram): Uint8Array {
  const out: number[] = [];
  let last = -1;
  for (const bucket of [...h.keys()].sort((a, b) => a - b)) {
    const n = h.get(bucket)!;
    if (n <= 0) continue;
    pushVarint(out, bucket - last - 1);
    pushVarint(out, n);
    last = bucket;
  }
  return Uint8Array.from(out);
}

export function unpackHistogram(bytes: Uint8Array | undefined): Histogram {
  const h: Histogram = new Map();
  if (!bytes) return h;
  let at = 0;
  const read = () => {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[at++];
      if (b === undefined) throw new Error('histogram bytes end in the middle of a number');
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
    }
  };
  let last = -1;
  while (at < bytes.length) {
    const bucket = last + 1 + read();
    h.set(bucket, read());
    last = bucket;
  }
  return h;
}

/** A histogram as a plain object (JSON: a stream batch's contributions carry bucket counts). */
export const histogramToRecord = (h: Histogram): Record<string, number> => Object.fromEntries(h);
export const histogramFromRecord = (r: Record<string, number> | undefined): Histogram =>
  new Map(Object.entries(r ?? {}).map(([k, n]) => [Number(k), n]));
