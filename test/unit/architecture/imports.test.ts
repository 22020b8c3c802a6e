import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The extension (lib/) and the sync server (server/) share only the neutral protocol/ folder.
 * A cross import would make the server bundle pull in extension code (or the reverse), so it
 * fails here rather than in review.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Every .ts/.tsx/.mjs file under `dir` (relative to the repository root). */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|tsx|mjs)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

/** Relative import specifiers of a source text: static imports, re-exports and dynamic imports. */
export function importSpecifiers(text: string): string[] {
  const specs: string[] = [];
  const patterns = [/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) specs.push(m[1]!);
  return specs;
}

/** The top-level folder a relative import from `file` lands in (undefined for packages). */
function targetFolder(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec)).split(path.sep)[0];
}

/** `file → spec` for each import from a file under `from` into one of the `forbidden` folders. */
function crossImports(from: string, forbidden: readonly string[]): string[] {
  const bad: string[] = [];
  for (const file of sourceFiles(from)) {
    for (const spec of importSpecifiers(readFileSync(path.join(ROOT, file), 'utf8'))) {
      const folder = targetFolder(file, spec);
      if (folder && forbidden.includes(folder)) bad.push(`${file} → ${spec}`);
    }
  }
  return bad;
}

describe('import boundaries', () => {
  it('finds static, re-export, side-effect and dynamic imports', () => {
    const text = `import a from '../x';\nimport { b,\n c } from "../y";\nexport * from './z';\nimport './side';\nconst m = await import('../../dyn');\nimport type { T } from '../t';`;
    expect(importSpecifiers(text).sort()).toEqual(['../../dyn', '../t', '../x', '../y', './side', './z']);
  });

  it('flags an import from lib/ into server/ (the rule is not vacuous)', () => {
    expect(targetFolder('lib/sync/keys.ts', '../../server/protocol')).toBe('server');
    expect(targetFolder('server/storage.ts', '../lib/crc32.ts')).toBe('lib');
    expect(targetFolder('lib/sync/keys.ts', '../../protocol/relay')).toBe('protocol');
  });

  it('lib/ imports nothing from server/, components/ or entrypoints/', () => {
    expect(crossImports('lib', ['server', 'components', 'entrypoints'])).toEqual([]);
  });

  it('server/ (with its tests) imports nothing from lib/, components/ or entrypoints/', () => {
    expect(crossImports('server', ['lib', 'components', 'entrypoints'])).toEqual([]);
  });

  it('protocol/ imports only itself', () => {
    expect(crossImports('protocol', ['lib', 'server', 'components', 'entrypoints', 'test'])).toEqual([]);
  });

  it('lib/notebook/parse.ts imports no Yjs (the background bundles it): only the notebook types and the error base', () => {
    expect(importSpecifiers(readFileSync(path.join(ROOT, 'lib/notebook/parse.ts'), 'utf8')).sort()).toEqual(['../../protocol/user-error', './types']);
    for (const file of ['lib/ext/clip-queue.ts', 'lib/ext/capture.ts']) {
      expect(
        importSpecifiers(readFileSync(path.join(ROOT, file), 'utf8')).filter((s) => s.includes('notebook')),
        file,
      ).not.toContain('../notebook');
    }
  });
});
