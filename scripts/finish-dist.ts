// After `tsc -p tsconfig.build.json`: makes dist/ runnable by plain `node`. The sources import each other without
// extensions (moduleResolution "Bundler", as tsx and vitest resolve them); Node's ES module loader wants the file,
// so every relative specifier gets the `.js` (or `/index.js`) that tsc emitted. tsc does not copy the CommonJS
// failure converter (codec/failure-converter.cjs), which the data converter loads by path: copied here.
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const dist = resolve(process.argv[2] ?? 'dist');
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\2/g;

/**
 * A file deep inside a package without an "exports" map (e.g. @temporalio/common/lib/time): Node's ES module loader
 * wants its extension too. Packages with an "exports" map, and whole packages, resolve as written.
 */
function deepFile(file: string, specifier: string): string | undefined {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  if (specifier.startsWith('node:') || parts.length <= nameLength || /\.(m?js|cjs|json)$/.test(specifier))
    return undefined;
  const require = createRequire(file);
  let manifest: string;
  try {
    manifest = require.resolve(`${parts.slice(0, nameLength).join('/')}/package.json`);
  } catch {
    return undefined;
  }
  if ((JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown }).exports !== undefined) return undefined;
  const base = join(dirname(manifest), ...parts.slice(nameLength));
  return existsSync(`${base}.js`)
    ? `${specifier}.js`
    : existsSync(join(base, 'index.js'))
      ? `${specifier}/index.js`
      : undefined;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.js') ? [path] : [];
  });
}

let rewritten = 0;
// The rooms tsc compiled; not dist/workflow-bundle.js, which webpack made whole.
const compiled = readdirSync(dist)
  .map((name) => join(dist, name))
  .filter((path) => statSync(path).isDirectory());
for (const file of compiled.flatMap(files)) {
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(SPECIFIER, (whole, keyword: string, quote: string, specifier: string) => {
    if (!specifier.startsWith('./') && !specifier.startsWith('../')) {
      const deep = deepFile(file, specifier);
      if (deep === undefined) return whole;
      rewritten += 1;
      return `${keyword}${quote}${deep}${quote}`;
    }
    if (/\.(m?js|cjs|json)$/.test(specifier)) return whole;
    const base = resolve(dirname(file), specifier);
    const target = existsSync(`${base}.js`)
      ? `${specifier}.js`
      : existsSync(join(base, 'index.js'))
        ? `${specifier}/index.js`
        : undefined;
    if (target === undefined) throw new Error(`${file}: cannot resolve ${specifier}`);
    rewritten += 1;
    return `${keyword}${quote}${target}${quote}`;
  });
  if (fixed !== text) writeFileSync(file, fixed);
}
copyFileSync('codec/failure-converter.cjs', join(dist, 'codec', 'failure-converter.cjs'));
process.stdout.write(`dist/: ${rewritten} imports given their .js; codec/failure-converter.cjs copied\n`);
