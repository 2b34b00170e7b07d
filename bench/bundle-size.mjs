// Raw, gzip (level 9) and brotli (quality 11) sizes of files, as a server or CDN would send them.
// Usage: node bench/bundle-size.mjs FILE...   (Node's own zlib: nothing to install)
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const kb = (n) => (n / 1024).toFixed(1).padStart(8);
let total = [0, 0, 0];
console.log(`${'file'.padEnd(28)} ${'raw KiB'.padStart(8)} ${'gzip'.padStart(8)} ${'brotli'.padStart(8)}`);
for (const file of process.argv.slice(2)) {
  const raw = readFileSync(file);
  const gz = gzipSync(raw, { level: 9 }).length;
  const br = brotliCompressSync(raw, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  }).length;
  total = [total[0] + raw.length, total[1] + gz, total[2] + br];
  console.log(`${basename(file).padEnd(28)} ${kb(raw.length)} ${kb(gz)} ${kb(br)}`);
}
console.log(`${'total'.padEnd(28)} ${kb(total[0])} ${kb(total[1])} ${kb(total[2])}`);
