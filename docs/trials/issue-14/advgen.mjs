// Build adversarial variants of the real reports: truncations, corrupted bytes, CRLF, concatenations, a huge SARIF result.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
const R = '/tmp/trial/r/', A = '/tmp/trial/adv/';
mkdirSync(A, { recursive: true });
const src = {
  'lcov/express-nyc': R + 'express-cov/lcov.info', 'lcov/ufo-vitest': R + 'ufo-cov/lcov.info', 'lcov/commander-node': R + 'commander-node-lcov.info',
  'istanbul-final/express-nyc': R + 'express-cov/coverage-final.json', 'istanbul-final/ufo-vitest': R + 'ufo-cov/coverage-final.json',
  'istanbul-summary/ufo-vitest': R + 'ufo-cov/coverage-summary.json',
  'cobertura/express-nyc': R + 'express-cov/cobertura-coverage.xml', 'cobertura/ufo-vitest': R + 'ufo-cov/cobertura-coverage.xml',
  'junit/express-mocha': R + 'express-mocha-junit.xml', 'junit/ufo-vitest': R + 'ufo-junit.xml', 'junit/commander-node': R + 'commander-node-junit.xml',
  'eslint/express-extra': R + 'express-eslint-extra.json', 'sarif/express-extra': R + 'express-eslint-extra.sarif', 'sarif/express-clean': R + 'express-eslint.sarif',
};
const list = [];
const put = (fmt, name, buf) => { mkdirSync(A + fmt, { recursive: true }); writeFileSync(`${A}${fmt}/${name}`, buf); list.push([fmt, `${A}${fmt}/${name}`]); };
let seed = 14;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
for (const [key, file] of Object.entries(src)) {
  const [fmt, name] = key.split('/');
  const b = readFileSync(file);
  put(fmt, `${name}.orig`, b);
  for (const f of [0.001, 0.1, 0.37, 0.5, 0.9, 0.999]) put(fmt, `${name}.trunc${f}`, b.subarray(0, Math.floor(b.length * f)));
  put(fmt, `${name}.trunc-1`, b.subarray(0, b.length - 1));
  for (let k = 0; k < 4; k++) {
    const c = Buffer.from(b);
    const bytes = [0xff, 0x22, 0x3c, 0x00, 0x7b, 0x0a, 0x3a, 0x2c];
    for (let j = 0; j < 3; j++) c[Math.floor(rnd() * (c.length - 200)) + 100] = bytes[Math.floor(rnd() * bytes.length)];
    put(fmt, `${name}.corrupt${k}`, c);
  }
  put(fmt, `${name}.crlf`, Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'));
  put(fmt, `${name}.bom`, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]));
  put(fmt, `${name}.twice`, Buffer.concat([b, b]));
}
put('lcov', 'express+ufo.concat', Buffer.concat([readFileSync(R + 'express-cov/lcov.info'), readFileSync(R + 'ufo-cov/lcov.info')]));
put('lcov', 'ufo+commander.concat-noeol', Buffer.concat([readFileSync(R + 'ufo-cov/lcov.info').subarray(0, -1), readFileSync(R + 'commander-node-lcov.info')]));
// A SARIF with one result whose message is 8 MB, and one with 50 000 locations in one result.
const s = JSON.parse(readFileSync(R + 'express-eslint-extra.sarif', 'utf8'));
const one = s.runs[0].results[0];
const huge = structuredClone(s); huge.runs[0].results = [{ ...one, message: { text: 'x'.repeat(8 << 20) + ' \\ \u00e9 "end"' } }];
put('sarif', 'express-extra.huge-message', JSON.stringify(huge));
const many = structuredClone(s); many.runs[0].results = [{ ...one, locations: Array.from({ length: 50000 }, (_, i) => ({ physicalLocation: { ...one.locations[0].physicalLocation, region: { startLine: i + 1, startColumn: 1 } } })) }];
put('sarif', 'express-extra.many-locations', JSON.stringify(many));
writeFileSync(A + 'list.json', JSON.stringify(list));
console.log(list.length, 'variants');
