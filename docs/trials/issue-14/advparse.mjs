// OLD vs NEW parser output on every adversarial variant, read whole-file, in 1-byte chunks (files ≤ 400 KB) and in 997-byte chunks.
import { readFileSync, createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
const OLD = await import('/tmp/lead/old/dist/ingest/registry.js'), NEW = await import('/work/wt/trial/dist/ingest/registry.js');
const list = JSON.parse(readFileSync('/tmp/trial/adv/list.json', 'utf8')).filter(([, f]) => !process.argv[2] || f.includes(process.argv[2]));
function* chunks(buf, n) { for (let i = 0; i < buf.length; i += n) yield buf.subarray(i, i + n); }
async function run(reg, fmt, file, mode) {
  let stream;
  if (mode === 'file') stream = createReadStream(file);
  else { const b = readFileSync(file); stream = Readable.from(chunks(b, mode === '1' ? 1 : 997), { objectMode: false }); }
  const t = Date.now();
  let timer;
  try {
    const out = await Promise.race([reg.parserFor(fmt).parse(stream, { file: 'report' }), new Promise((_, rej) => { timer = setTimeout(() => rej(new Error('HANG > 120 s')), 120000); })]);
    return { out: JSON.stringify(out), ms: Date.now() - t };
  } catch (e) {
    return { out: JSON.stringify({ rejected: `${e.name}: ${e.message}`, code: e.code }), ms: Date.now() - t, err: e };
  } finally { clearTimeout(timer); }
}
const h = (s) => createHash('sha256').update(s).digest('hex').slice(0, 12);
let same = 0, diff = 0; const kinds = {};
for (const [fmt, file] of list) {
  const size = readFileSync(file).length;
  const modes = size <= 400_000 ? ['file', '1', '997'] : ['file', '997'];
  for (const mode of modes) {
    const o = await run(OLD, fmt, file, mode), n = await run(NEW, fmt, file, mode);
    const short = file.replace('/tmp/trial/adv/', '');
    const nerr = n.err ? `${n.err.name}${n.err.code ? '/' + n.err.code : ''}` : 'ok';
    kinds[nerr] = (kinds[nerr] ?? 0) + 1;
    if (n.err && !/ParseError|ShipgateError/.test(n.err.name) && !n.err.code) console.log('  UNTYPED ERROR', short, mode, n.err.stack.split('\n').slice(0, 3).join(' | '));
    if (o.out === n.out) same++;
    else { diff++; console.log('DIFF', short, mode, 'old', h(o.out), o.out.slice(0, 300), '\n    new', h(n.out), n.out.slice(0, 300)); }
    if (mode === 'file') console.log(`${o.out === n.out ? 'same' : 'DIFF'} ${short} ${size}B ${nerr} old ${o.ms} ms new ${n.ms} ms ${n.err ? n.err.message.slice(0, 110) : ''}`);
  }
}
console.log('same', same, 'diff', diff, JSON.stringify(kinds));
