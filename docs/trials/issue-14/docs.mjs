// OLD vs NEW checkDocsLinks on a repository; per-file OLD scanMarkdown vs NEW scanLinks; fast-path counts.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
const root = process.argv[2];
const OLD = '/tmp/lead/old/dist/facts/', NEW = '/work/wt/trial/dist/facts/', INS = '/tmp/trial/newdist-instr/facts/';
const o = await import(OLD + 'docs-links.js'), n = await import(NEW + 'docs-links.js'), ni = await import(INS + 'docs-links.js');
const t0 = Date.now();
const ro = JSON.stringify(await o.checkDocsLinks({ root }));
const t1 = Date.now();
const rn = JSON.stringify(await n.checkDocsLinks({ root }));
const t2 = Date.now();
const rw0 = JSON.stringify(await n.checkDocsLinks({ root, workers: 0 }));
const rw1 = JSON.stringify(await n.checkDocsLinks({ root, workers: 1 }));
globalThis.__fb = { whole: 0 };
const ri = JSON.stringify(await ni.checkDocsLinks({ root, workers: 0 }));
const fb = globalThis.__fb;
const r = JSON.parse(rn);
console.log(`${root}: files=${r.files} links=${r.links} broken=${r.broken.length} external=${r.external.length} unchecked=${r.unchecked.length} diag=${r.diagnostics.length}`);
console.log(`  old==new(default workers) ${ro === rn}  old==new(workers 0) ${ro === rw0}  old==new(workers 1) ${ro === rw1}  old==instrumented ${ro === ri}  old ${t1 - t0} ms new ${t2 - t1} ms`);
console.log(`  scanner: whole-doc to markdown-it up front ${fb.whole}, fast scan tried ${fb.calls ?? 0} (finished ${fb.fast ?? 0}, handed over mid-way ${fb.late ?? 0}), paragraphs to markdown-it inline ${fb.para ?? 0}`);
// per-file: every markdown file in git, OLD scanMarkdown vs NEW scanLinks
const om = await import('/tmp/lead/old/dist/facts/markdown-links.js'), nl = await import(NEW + 'link-scanner.js');
const files = execFileSync('git', ['ls-files', '*.md', '*.markdown'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
let diff = 0;
for (const f of files) {
  let s; try { s = readFileSync(root + '/' + f, 'utf8'); } catch { continue; }
  const a = JSON.stringify(om.scanMarkdown(s)), b = JSON.stringify(nl.scanLinks(s));
  if (a !== b) { diff++; if (diff <= 5) console.log('  PER-FILE DIFF', f); }
}
console.log(`  per-file scanMarkdown(old) vs scanLinks(new): ${files.length} files, ${diff} differ`);
if (ro !== rn) { (await import('node:fs')).writeFileSync('/tmp/trial/out/docs-old.json', ro); (await import('node:fs')).writeFileSync('/tmp/trial/out/docs-new.json', rn); }
