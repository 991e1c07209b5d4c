// Node reads every certificate named by NODE_EXTRA_CA_CERTS at start-up, before any program code runs. Some
// machines set it for a proxy (this project's build machine points it at the whole system bundle, 144
// certificates): under callgrind `node -e 0` is 545 M instructions with it and 128 M without, ~0.1 s of wall time.
// A benchmark measures the tools, not that tax, so the commands it times start without it — shipgate and its peers
// alike. Only network work (installing a peer with npm) gets it back.

const NAME = "NODE_EXTRA_CA_CERTS";
let saved;

/** Removes NODE_EXTRA_CA_CERTS from this process's environment (children inherit that) and says so on stdout. */
export function startWithoutExtraCaCerts() {
  if (process.env[NAME] === undefined) return;
  saved = process.env[NAME];
  delete process.env[NAME];
  console.log(`${NAME} is set here: the commands timed start without it (it costs every Node start ~0.1 s, peers and shipgate alike)`);
}

/** The environment for network work (npm install), with NODE_EXTRA_CA_CERTS as it was. */
export function networkEnv() {
  return saved === undefined ? process.env : { ...process.env, [NAME]: saved };
}
