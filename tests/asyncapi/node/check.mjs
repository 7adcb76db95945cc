// Validate AsyncAPI documents with the official JSON Schema (@asyncapi/specs) and parser
// (@asyncapi/parser), all in one process. Usage: node check.mjs FILE...
// Prints one JSON object: {FILE: {"schema": [ajv errors], "diagnostics": [{severity, code, message, path}]}}.
import { readFile } from "node:fs/promises";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import yaml from "js-yaml";
import specs from "@asyncapi/specs";
import { Parser } from "@asyncapi/parser";

const validators = {};
const parser = new Parser();
const report = {};
for (const file of process.argv.slice(2)) {
  const text = await readFile(file, "utf8");
  const document = yaml.load(text);
  const version = String(document?.asyncapi ?? "");
  const schema = specs.schemas[version];
  let schemaErrors = [`no official JSON Schema for asyncapi ${JSON.stringify(version)}`];
  if (schema) {
    if (!validators[version]) {
      // One Ajv per version: each official schema embeds the draft-07 meta-schema under its own id.
      const ajv = new Ajv({ allErrors: true, strict: false, meta: false, validateSchema: false });
      addFormats(ajv);
      validators[version] = ajv.compile(schema);
    }
    const validate = validators[version];
    schemaErrors = validate(document)
      ? []
      : validate.errors.map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
  }
  const { diagnostics } = await parser.parse(text, { source: file });
  report[file] = {
    schema: schemaErrors,
    diagnostics: diagnostics.map((d) => ({
      severity: d.severity,
      code: String(d.code),
      message: d.message,
      path: d.path.join("/"),
    })),
  };
}
process.stdout.write(JSON.stringify(report));
