import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * lekdicht's own directory (where its package.json is), found from a module's URL by walking up: the same answer
 * for the sources (codec/keys.ts) and for their compiled form one level deeper (dist/codec/keys.js), where a fixed
 * `..` would point at dist/ — and, for the key file check, call a key file beside the sources "outside the repository".
 */
export function packageRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'lekdicht')
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`lekdicht's package.json not found above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
}
