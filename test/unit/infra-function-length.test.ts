import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSync } from 'vite';
import { describe, expect, it } from 'vitest';

/*
 * Infra stays readable: no function under infra/ (the CDK stack, its constructs, the local stack)
 * is longer than 80 lines, counted from its first line to its last, comments included. A function
 * is a declaration, a method or constructor, a function expression or an arrow function; a nested
 * one counts inside its parent as well. The source is parsed (Vite's parser, which vitest runs on),
 * not scanned, so braces in strings, templates and regular expressions cannot mislead the count.
 */
const MAX_LINES = 80;
const ROOT = path.resolve(import.meta.dirname, '../..');
const INFRA = path.join(ROOT, 'infra');

/**
 * The local stack's two long functions, left as they are for now: the local stack is not deployed,
 * and three branches edit `startLocalStack` and the gateway's `handle` at the time of writing, so
 * splitting them waits until those have merged. Nothing else may join this list.
 */
const KNOWN_LONG = new Set(['infra/local/stack.ts startLocalStack', 'infra/local/api-gateway-local.ts handle']);

interface FunctionLength {
  name: string;
  line: number;
  lines: number;
}

type Node = { type?: string; start?: number; end?: number; [key: string]: unknown };

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** The name a reader would look for: the method, variable, property or declaration holding the function. */
function nameOf(node: Node, holder: string): string {
  if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') {
    const id = node.id as Node | null;
    if (typeof id?.name === 'string') return id.name;
  }
  return holder;
}

function holderName(node: Node, inherited: string): string {
  const key = (node.key ?? node.id) as Node | undefined;
  const named = ['MethodDefinition', 'PropertyDefinition', 'Property', 'VariableDeclarator'].includes(node.type ?? '');
  return named && typeof key?.name === 'string' ? key.name : inherited;
}

/** Every function in a TypeScript source with its first line and its length in lines. */
function functionLengths(file: string, source: string): FunctionLength[] {
  const { program, errors } = parseSync(file, source);
  if (errors.length) throw new Error(`${file}: ${errors[0]!.message}`);
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
  const found: FunctionLength[] = [];
  const walk = (value: unknown, holder: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, holder);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    const name = holderName(node, holder);
    if (FUNCTION_TYPES.has(node.type ?? '') && node.start !== undefined && node.end !== undefined) {
      const line = lineOf(node.start);
      found.push({ name: nameOf(node, name), line, lines: lineOf(Math.max(node.start, node.end - 1)) - line + 1 });
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'type') walk(child, name);
  };
  walk(program, '(anonymous)');
  return found;
}

function infraFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return infraFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

describe('infra function length', () => {
  it(`keeps every function under infra/ at ${MAX_LINES} lines or fewer`, () => {
    const files = infraFiles(INFRA).map((file) => path.relative(ROOT, file).split(path.sep).join('/'));
    expect(files).toContain('infra/redress-stack.ts');
    expect(files).toContain('infra/constructs/api.ts');
    const long = files.flatMap((file) =>
      functionLengths(file, readFileSync(path.join(ROOT, file), 'utf8'))
        .filter((fn) => fn.lines > MAX_LINES && !KNOWN_LONG.has(`${file} ${fn.name}`))
        .map((fn) => `${file}:${fn.line} ${fn.name} is ${fn.lines} lines`),
    );
    expect(long).toEqual([]);
  });

  it('counts a function from its first line to its last, methods and arrows included', () => {
    const body = (lines: number) => Array.from({ length: lines - 2 }, (_, i) => `  const a${i} = '}';`).join('\n');
    const source = [
      `function declared() {\n${body(81)}\n}`,
      `class Part {\n  constructor() {\n${body(80)}\n  }\n  method() {\n${body(3)}\n  }\n}`,
      `const arrow = () => {\n  const pattern = /\\}/;\n${body(79)}\n};`,
    ].join('\n');
    const lengths = functionLengths('sample.ts', source);
    expect(lengths.map(({ name, lines }) => [name, lines])).toEqual([
      ['declared', 81],
      ['constructor', 80],
      ['method', 3],
      ['arrow', 80],
    ]);
  });
});
