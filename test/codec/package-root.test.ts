import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../codec/package-root';

describe("lekdicht's own directory, from the sources and from dist/", () => {
  it('is the directory of the package.json named lekdicht, however deep the module is', () => {
    const root = mkdtempSync(join(tmpdir(), 'lekdicht-root-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'lekdicht' }));
    // A package.json of another name on the way up (a dependency's) is not it.
    mkdirSync(join(root, 'dist', 'node_modules', 'x', 'lib'), { recursive: true });
    writeFileSync(join(root, 'dist', 'node_modules', 'x', 'package.json'), JSON.stringify({ name: 'x' }));
    mkdirSync(join(root, 'codec'), { recursive: true });
    mkdirSync(join(root, 'dist', 'codec'), { recursive: true });
    const at = (...parts: string[]) => pathToFileURL(join(root, ...parts)).href;
    expect(packageRoot(at('codec', 'keys.ts'))).toBe(root);
    expect(packageRoot(at('dist', 'codec', 'keys.js'))).toBe(root);
    expect(packageRoot(at('dist', 'node_modules', 'x', 'lib', 'a.js'))).toBe(root);
  });

  it('is this repository for its own modules', () => {
    expect(packageRoot(new URL('../../codec/keys.ts', import.meta.url).href)).toBe(
      join(new URL('../..', import.meta.url).pathname).replace(/\/$/, ''),
    );
  });

  it('says so when there is none', () => {
    const lone = mkdtempSync(join(tmpdir(), 'lekdicht-noroot-'));
    expect(() => packageRoot(pathToFileURL(join(lone, 'a.js')).href)).toThrow(/lekdicht's package\.json not found/);
  });
});
