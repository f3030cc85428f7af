// js/build.mjs: bundles js/src into inspector/static (committed, so pip users need no node).
//   node build.mjs           write inspector/static/{widget.js,widget.css,graphviz-runtime.js}
//   node build.mjs --check   build in memory and fail if the committed files differ (stale bundle)
// The build is deterministic: same sources + same locked packages -> byte-identical output.
import { readFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(here, "..", "inspector", "static");
const check = process.argv.includes("--check");

const common = {
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  platform: "browser",
  charset: "ascii", // anywidget reads _esm as text; keep it locale-proof
  legalComments: "eof",
  sourcemap: false,
  write: false,
  logLevel: "warning",
  absWorkingDir: here,
};

const builds = [
  { entryPoints: ["src/widget.ts"], outfile: path.join(outdir, "widget.js") },
  { entryPoints: ["src/widget.css"], outfile: path.join(outdir, "widget.css") },
  // the runtime carries the UI and its CSS (the minified text above), stored once per notebook
  { entryPoints: ["src/runtime.ts"], outfile: path.join(outdir, "graphviz-runtime.js"), cssText: true },
];

const started = performance.now();
const outputs = [];
let minifiedCss = "";
// `import css from "./widget.css"` in the runtime: the minified CSS built just before, as text
const cssAsText = {
  name: "css-as-text",
  setup(build) {
    build.onResolve({ filter: /\.css$/ }, (args) => ({ path: args.path, namespace: "css-text" }));
    build.onLoad({ filter: /.*/, namespace: "css-text" }, () => ({ contents: minifiedCss, loader: "text" }));
  },
};
for (const { cssText, ...options } of builds) {
  const plugins = cssText ? [cssAsText] : [];
  const result = await esbuild.build({ ...common, ...options, plugins });
  outputs.push(...result.outputFiles);
  if (options.outfile.endsWith(".css")) minifiedCss = result.outputFiles[0].text;
}

let stale = 0;
for (const file of outputs) {
  const rel = path.relative(path.resolve(here, ".."), file.path);
  if (check) {
    const committed = await readFile(file.path).catch(() => null);
    if (!committed || !Buffer.from(file.contents).equals(committed)) {
      console.error(`stale: ${rel} differs from a fresh build (run: cd js && npm run build)`);
      stale += 1;
    } else {
      console.log(`up to date: ${rel} (${file.contents.length} bytes)`);
    }
  } else {
    await mkdir(path.dirname(file.path), { recursive: true });
    await writeFile(file.path, file.contents);
    console.log(`wrote ${rel} (${file.contents.length} bytes)`);
  }
}
console.log(`${check ? "checked" : "built"} in ${Math.round(performance.now() - started)} ms`);
if (stale) process.exit(1);
