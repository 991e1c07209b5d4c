/** The dashboard shell: header with the live dot, navigation, and the page the hash names. */
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { useLiveStatus } from "./live.js";
import { PAGES } from "./pages/index.js";
import "./style.css";

const current = (): string => window.location.hash.replace(/^#\/?/, "").split("?")[0] || PAGES[0]!.path;

function App() {
  const [path, setPath] = useState(current());
  const live = useLiveStatus();
  useEffect(() => {
    const onHash = () => setPath(current());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  const page = PAGES.find((p) => p.path === path) ?? PAGES[0]!;
  useEffect(() => {
    document.title = `${page.title} · shipgate`;
  }, [page]);
  const Page = page.component;
  return (
    <>
      <header>
        <span class="brand">shipgate</span>
        <nav aria-label="Pages">
          {PAGES.map((p) => (
            <a href={`#/${p.path}`} aria-current={p === page ? "page" : undefined}>
              {p.title}
            </a>
          ))}
        </nav>
        <span class={`live ${live}`} data-testid="live" title={live === "live" ? "live: the page follows the store's events" : "reconnecting to the event stream"}>
          {live === "live" ? "live" : live}
        </span>
      </header>
      <main data-page={page.path}>
        <Page />
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
