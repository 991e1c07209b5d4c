const root = process.argv[2];
const n = await import('/work/wt/trial/dist/facts/docs-links.js'), o = await import('/tmp/lead/old/dist/facts/docs-links.js');
const o0 = JSON.stringify(await o.checkDocsLinks({ root, workers: 0 })), o1 = JSON.stringify(await o.checkDocsLinks({ root, workers: 1 })), o2 = JSON.stringify(await o.checkDocsLinks({ root, workers: 2 }));
const n1 = JSON.stringify(await n.checkDocsLinks({ root, workers: 1 })), n2 = JSON.stringify(await n.checkDocsLinks({ root, workers: 2 }));
console.log(root, 'old w0==old w1', o0 === o1, 'old w1==new w1', o1 === n1, 'old w2==new w2', o2 === n2);
