import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The layers of functions/ (docs/architecture.md, "Where things go"), bottom to top. A file may
 * import its own layer and the layers below it, never one above; no files import each other in a
 * loop. The walk reads every relative import (static, `export … from`, side-effect and dynamic)
 * of every .ts file under functions/, so a move that breaks the rule fails here with the chain.
 */
const HANDLER_FOLDERS = ['http', 'workflow', 'evidence', 'mail', 'schedule', 'stream', 'reports'];
const LAYERS: { name: string; holds: (file: string) => boolean }[] = [
  { name: 'domain', holds: (f) => f.startsWith('functions/domain/') },
  { name: 'lib', holds: (f) => f.startsWith('functions/lib/') },
  { name: 'store', holds: (f) => f.startsWith('functions/store/') },
  { name: 'pages', holds: (f) => f.startsWith('functions/pages/') },
  { name: 'app/shared', holds: (f) => f.startsWith('functions/app/shared/') },
  { name: 'app', holds: (f) => f.startsWith('functions/app/') },
  // The catalog names handlers by path (a string), not by import; the API description reads it.
  { name: 'catalog', holds: (f) => f === 'functions/catalog.ts' },
  { name: 'handlers', holds: (f) => HANDLER_FOLDERS.some((folder) => f.startsWith(`functions/${folder}/`)) },
];
/** The one module of domain/ that lib/ reads values from: the languages every text exists in. */
const LIB_READS_FROM_DOMAIN = new Set(['functions/domain/language.ts']);
/** The only packages the pure domain loads: validation and hashing; no AWS, no I/O. */
const DOMAIN_PACKAGES = new Set(['zod', 'zod/mini', 'node:crypto']);

const layerOf = (file: string) => LAYERS.findIndex((layer) => layer.holds(file));
const layerName = (file: string) => LAYERS[layerOf(file)]?.name ?? 'no layer';

interface Import {
  from: string;
  spec: string;
  /** The file it resolves to, relative to the repository; undefined when it resolves to none. */
  to?: string;
  typeOnly: boolean;
}

/**
 * The source with its comments blanked out: strings and templates are kept (a string stops at its
 * line's end), and a template's `${…}` is read as code, so a comment or a quote in either is not
 * taken for the other.
 */
function withoutComments(source: string): string {
  let out = '';
  let i = 0;
  const depths: number[] = []; // for each open `${`: the `{` opened inside it and not yet closed
  const template = () => {
    while (i < source.length) {
      const c = source[i]!;
      if (c === '\\') {
        out += source.slice(i, i + 2);
        i += 2;
      } else if (c === '`') {
        out += source[i++];
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        out += '${';
        i += 2;
        depths.push(0);
        return;
      } else out += source[i++];
    }
  };
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const comment = source.slice(i, end < 0 ? source.length : end + 2);
      out += comment.replace(/[^\n]/g, ' ');
      i += comment.length;
    } else if (c === "'" || c === '"') {
      out += source[i++];
      while (i < source.length && source[i] !== c && source[i] !== '\n') {
        if (source[i] === '\\') out += source[i++];
        out += source[i++];
      }
      if (i < source.length) out += source[i++];
    } else if (c === '`') {
      out += source[i++];
      template();
    } else if (c === '{' && depths.length) {
      depths[depths.length - 1]!++;
      out += source[i++];
    } else if (c === '}' && depths.length) {
      out += source[i++];
      if (depths[depths.length - 1] === 0) {
        depths.pop();
        template();
      } else depths[depths.length - 1]!--;
    } else out += source[i++];
  }
  return out;
}

function resolve(from: string, spec: string): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  const candidates = [base, `${base}.ts`, `${base}/index.ts`, base.replace(/\.js$/, '.ts')];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

function importsOf(file: string): { relative: Import[]; packages: string[] } {
  const code = withoutComments(readFileSync(file, 'utf8'));
  const relative: Import[] = [];
  const packages: string[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    if (spec.startsWith('.')) relative.push({ from: file, spec, to: resolve(file, spec), typeOnly });
    else packages.push(spec);
  };
  // import … from '…' / export … from '…': the clause holds no quote and no semicolon.
  for (const m of code.matchAll(/(?<![\w.$])(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g)) {
    const clause = m[3]!.trim();
    const named = /^\{([^}]*)\}$/.exec(clause)?.[1];
    const allNamedTypes = !!named
      ?.split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .every((part) => part.startsWith('type '));
    add(m[4]!, !!m[2] || allNamedTypes);
  }
  for (const m of code.matchAll(/(?<![\w.$])import\s*['"]([^'"]+)['"]/g)) add(m[1]!, false);
  for (const m of code.matchAll(/(?<![\w.$])import\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) add(m[1]!, false);
  return { relative, packages };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.posix.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [file] : [];
  });
}

const FILES = sourceFiles('functions');
const WALK = new Map(FILES.map((file) => [file, importsOf(file)]));
const IMPORTS = [...WALK.values()].flatMap((walk) => walk.relative);

/** Every loop of imports, as one chain per set of files that reach each other (a → … → a). */
function cycles(): string[][] {
  const edges = new Map<string, string[]>(FILES.map((file) => [file, []]));
  for (const imp of IMPORTS) if (imp.to && edges.has(imp.to)) edges.get(imp.from)!.push(imp.to);
  // Tarjan's strongly connected components.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || edges.get(v)!.includes(v)) components.push(component);
    }
  };
  for (const file of FILES) if (!index.has(file)) visit(file);
  // One chain per component: a shortest way from its first file back to itself, inside it.
  return components.map((component) => {
    const inside = new Set(component);
    const start = component.sort()[0]!;
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of edges.get(v)!) {
        if (!inside.has(w)) continue;
        if (w === start) {
          const chain = [v];
          while (chain[0] !== start) chain.unshift(previous.get(chain[0]!)!);
          return [...chain, start];
        }
        if (!previous.has(w)) {
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    return component;
  });
}

describe('the layers of functions/', () => {
  it('reads the imports it judges (the walk is not empty, and sees a known import)', () => {
    expect(FILES.length).toBeGreaterThan(150);
    expect(IMPORTS.length).toBeGreaterThan(500);
    expect(IMPORTS).toContainEqual(
      expect.objectContaining({ from: 'functions/app/begin-step.ts', to: 'functions/domain/workflow-contract.ts' }),
    );
  });

  it('puts every file under functions/ in a layer', () => {
    expect(FILES.filter((file) => layerOf(file) < 0)).toEqual([]);
  });

  it('resolves every relative import to a file under functions/', () => {
    const astray = IMPORTS.filter((imp) => !imp.to?.startsWith('functions/')).map(
      (imp) => `${imp.from}: '${imp.spec}' → ${imp.to ?? 'no file'}`,
    );
    expect(astray).toEqual([]);
  });

  it('has no import that runs up a layer', () => {
    const upward = IMPORTS.filter((imp) => imp.to && layerOf(imp.to) > layerOf(imp.from)).map(
      (imp) => `${imp.from} (${layerName(imp.from)}) → ${imp.to} (${layerName(imp.to!)})`,
    );
    expect(upward).toEqual([]);
  });

  it('lets lib/ read only types from domain/, besides the languages', () => {
    const reads = IMPORTS.filter(
      (imp) =>
        layerName(imp.from) === 'lib' &&
        imp.to &&
        layerName(imp.to) === 'domain' &&
        !imp.typeOnly &&
        !LIB_READS_FROM_DOMAIN.has(imp.to),
    ).map((imp) => `${imp.from} → ${imp.to} (not \`import type\`)`);
    expect(reads).toEqual([]);
  });

  it('keeps domain/ pure: it loads no package but zod and node:crypto', () => {
    const loads = [...WALK]
      .filter(([file]) => layerName(file) === 'domain')
      .flatMap(([file, walk]) =>
        walk.packages.filter((spec) => !DOMAIN_PACKAGES.has(spec)).map((spec) => `${file} → ${spec}`),
      );
    expect(loads).toEqual([]);
  });

  it('has no files that import each other in a loop', () => {
    expect(cycles().map((chain) => chain.join(' → '))).toEqual([]);
  });
});
