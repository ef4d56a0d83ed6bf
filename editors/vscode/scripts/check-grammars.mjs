// Checks the TextMate grammars (npm run check runs it):
//
//  1. syntaxes/*.tmLanguage.json are what scripts/grammars.mjs generates;
//  2. package.json contributes each of them for its language, with a
//     language configuration, and packs them in the vsix;
//  3. every regex compiles in Oniguruma (vscode-oniguruma, the build VS Code
//     tokenizes with), which accepts and rejects other things than
//     JavaScript's RegExp;
//  4. vscode-textmate, VS Code's tokenizer, gives the sample lines below the
//     scopes they list, token for token, and the repository's own go.mod,
//     go.sum and the e2e fixture no invalid.* scope.
//
// Exits 1 with every failure listed.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grammarFiles, syntaxesDir } from './grammars.mjs';

const require = createRequire(import.meta.url);
const oniguruma = require('vscode-oniguruma');
const vsctm = require('vscode-textmate');

const ext = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(ext, '..', '..');
const failures = [];
const fail = (msg) => failures.push(msg);

// 1. The JSON is the generator's output.
for (const [name, want] of Object.entries(grammarFiles())) {
  const p = join(syntaxesDir, name);
  const got = existsSync(p) ? readFileSync(p, 'utf8') : '';
  if (got !== want) {
    fail(`syntaxes/${name} differs from what scripts/grammars.mjs generates: run npm run grammars`);
  }
}

// 2. package.json.
const pkg = JSON.parse(readFileSync(join(ext, 'package.json'), 'utf8'));
const languages = new Map((pkg.contributes.languages ?? []).map((l) => [l.id, l]));
const grammarsByLang = new Map();
const grammarsByScope = new Map();
for (const g of pkg.contributes.grammars ?? []) {
  const p = join(ext, g.path);
  let json;
  try {
    json = JSON.parse(readFileSync(p, 'utf8'));
  } catch (err) {
    fail(`grammar ${g.path}: ${err.message}`);
    continue;
  }
  if (json.scopeName !== g.scopeName) {
    fail(`grammar ${g.path}: scopeName ${json.scopeName}, package.json says ${g.scopeName}`);
  }
  if (!languages.has(g.language)) {
    fail(`grammar ${g.path}: language ${g.language} is not contributed`);
  }
  grammarsByLang.set(g.language, g.scopeName);
  grammarsByScope.set(g.scopeName, { path: p, json });
}
for (const id of ['go.mod', 'go.work', 'go.sum']) {
  const l = languages.get(id);
  if (!grammarsByLang.has(id)) {
    fail(`language ${id} has no grammar in contributes.grammars`);
  }
  if (!l?.configuration) {
    fail(`language ${id} has no language configuration`);
    continue;
  }
  try {
    const conf = JSON.parse(readFileSync(join(ext, l.configuration), 'utf8'));
    if (id !== 'go.sum' && conf.comments?.lineComment !== '//') {
      fail(`${l.configuration}: the line comment of ${id} must be //`);
    }
  } catch (err) {
    fail(`language configuration ${l.configuration}: ${err.message}`);
  }
}
for (const dir of ['syntaxes/**', 'language-configuration/**']) {
  if (!pkg.files.includes(dir)) {
    fail(`package.json files lacks ${dir}: the vsix would not carry it`);
  }
}

// 3. Every regex compiles in Oniguruma.
await oniguruma.loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer);
let regexes = 0;
function compileAll(node, where) {
  if (Array.isArray(node)) {
    node.forEach((n, i) => compileAll(n, `${where}[${i}]`));
    return;
  }
  if (!node || typeof node !== 'object') {
    return;
  }
  for (const [k, v] of Object.entries(node)) {
    if (['match', 'begin', 'end', 'while'].includes(k) && typeof v === 'string') {
      regexes++;
      try {
        new oniguruma.OnigScanner([v]).dispose();
      } catch (err) {
        fail(`${where}.${k}: Oniguruma rejects /${v}/: ${err.message ?? err}`);
      }
    } else {
      compileAll(v, `${where}.${k}`);
    }
  }
}
for (const [scope, { json }] of grammarsByScope) {
  compileAll(json, scope);
}

// report prints the failures and exits 1, if there are any.
function report() {
  if (failures.length > 0) {
    console.error(`check-grammars: ${failures.length} failure(s):\n` + failures.map((f) => `- ${f}`).join('\n'));
    process.exit(1);
  }
}
// vscode-textmate throws on a regex Oniguruma rejects: stop here.
report();

// 4. Tokenization.
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }),
  loadGrammar: async (scopeName) => {
    const g = grammarsByScope.get(scopeName);
    return g ? vsctm.parseRawGrammar(readFileSync(g.path, 'utf8'), g.path) : null;
  },
});
const grammarOf = new Map();
for (const [lang, scope] of grammarsByLang) {
  grammarOf.set(lang, await registry.loadGrammar(scope));
}

// tokenize returns the tokens of text as {line, start, end, text, scopes}.
function tokenize(lang, text) {
  const grammar = grammarOf.get(lang);
  const out = [];
  let stack = vsctm.INITIAL;
  text.split('\n').forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      out.push({ line: i, start: t.startIndex, end: Math.min(t.endIndex, line.length), text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    stack = r.ruleStack;
  });
  return out;
}

const suffix = { 'go.mod': 'gomod', 'go.work': 'gowork', 'go.sum': 'gosum' };

// Each case is a file's text and, in order of appearance, pieces of it
// with the scope (without the language suffix) every token of the piece
// must carry (a piece may lie inside the one before). A piece must start
// and end on token boundaries.
const cases = [
  {
    lang: 'go.mod',
    text: 'module example.com/m // Deprecated: use example.com/m/v2',
    want: [['module', 'keyword.other.directive.module'], ['example.com/m', 'entity.name.namespace.module-path'],
      ['//', 'punctuation.definition.comment'], ['Deprecated:', 'keyword.other.deprecated'],
      [' use example.com/m/v2', 'comment.line.double-slash.deprecated']],
  },
  {
    lang: 'go.mod',
    text: 'go 1.22.0\ntoolchain go1.23.4\ngo 1.21rc1\ntoolchain default',
    want: [['go', 'keyword.other.directive.go'], ['1.22.0', 'constant.numeric.go-version'],
      ['toolchain', 'keyword.other.directive.toolchain'], ['go1.23.4', 'constant.numeric.toolchain'],
      ['1.21rc1', 'constant.numeric.go-version'], ['default', 'constant.language.toolchain.default']],
  },
  {
    lang: 'go.mod',
    text: 'godebug default=go1.21\ngodebug (\n\tpanicnil=1\n)',
    want: [['godebug', 'keyword.other.directive.godebug'], ['default', 'variable.other.godebug'], ['=', 'keyword.operator.assignment'],
      ['go1.21', 'constant.other.godebug-value'], ['godebug', 'keyword.other.directive.godebug'],
      ['(', 'punctuation.section.parens.begin'], ['panicnil', 'variable.other.godebug'], ['1', 'constant.other.godebug-value'],
      [')', 'punctuation.section.parens.end']],
  },
  {
    lang: 'go.mod',
    text: 'require golang.org/x/mod v0.20.0 // indirect',
    want: [['require', 'keyword.other.directive.require'], ['golang.org/x/mod', 'entity.name.namespace.module-path'],
      ['v0.20.0', 'constant.numeric.version.semver'], ['// indirect', 'comment.line.double-slash.indirect'],
      ['indirect', 'keyword.other.indirect']],
  },
  {
    lang: 'go.mod',
    text: [
      'require (',
      '\tgithub.com/a/b v1.2.3-rc.1',
      '\tgithub.com/c/d v2.0.0+incompatible // indirect; used by x',
      '\tgolang.org/x/sys v0.0.0-20240101000000-0123456789ab',
      '\texample.com/pre v1.2.4-0.20240101000000-abcdefabcdef',
      '\texample.com/pre2 v1.2.3-beta.0.20240101000000-abcdefabcdef+incompatible',
      '\t"example.com/quoted" `v1.0.0`',
      '\texample.com/branch master',
      ')',
      'require example.com/after v1.0.0',
    ].join('\n'),
    want: [['require', 'keyword.other.directive.require'], ['(', 'punctuation.section.parens.begin'],
      ['github.com/a/b', 'entity.name.namespace.module-path'], ['v1.2.3-rc.1', 'constant.numeric.version.semver'],
      ['github.com/c/d', 'entity.name.namespace.module-path'], ['v2.0.0+incompatible', 'constant.numeric.version.semver'],
      ['+incompatible', 'storage.modifier.incompatible'], ['indirect', 'keyword.other.indirect'],
      ['golang.org/x/sys', 'entity.name.namespace.module-path'], ['v0.0.0-20240101000000-0123456789ab', 'constant.numeric.version.pseudo'],
      ['v1.2.4-0.20240101000000-abcdefabcdef', 'constant.numeric.version.pseudo'],
      ['v1.2.3-beta.0.20240101000000-abcdefabcdef', 'constant.numeric.version.pseudo'], ['+incompatible', 'storage.modifier.incompatible'],
      ['"', 'punctuation.definition.string.begin'], ['example.com/quoted', 'string.quoted.double'], ['`v1.0.0`', 'string.quoted.raw'],
      ['example.com/branch', 'entity.name.namespace.module-path'], ['master', 'constant.other.version.noncanonical'],
      [')', 'punctuation.section.parens.end'],
      ['require', 'keyword.other.directive.require'], ['v1.0.0', 'constant.numeric.version.semver']],
  },
  {
    lang: 'go.mod',
    text: 'replace example.com/a v1.0.0 => ../a\nreplace (\n\texample.com/b => example.com/fork/b v1.1.0\n\texample.com/c v1.0.0 => C:\\src\\c\n)',
    want: [['replace', 'keyword.other.directive.replace'], ['example.com/a', 'entity.name.namespace.module-path'],
      ['v1.0.0', 'constant.numeric.version.semver'], ['=>', 'keyword.operator.arrow'], ['../a', 'string.unquoted.path'],
      ['example.com/b', 'entity.name.namespace.module-path'], ['=>', 'keyword.operator.arrow'],
      ['example.com/fork/b', 'entity.name.namespace.module-path'], ['v1.1.0', 'constant.numeric.version.semver'],
      ['=>', 'keyword.operator.arrow'], ['C:\\src\\c', 'string.unquoted.path']],
  },
  {
    lang: 'go.mod',
    text: 'exclude example.com/x v1.0.1\nretract [v1.0.0, v1.0.5] // broken build\nretract (\n\tv1.1.0 // oops\n)',
    want: [['exclude', 'keyword.other.directive.exclude'], ['example.com/x', 'entity.name.namespace.module-path'],
      ['v1.0.1', 'constant.numeric.version.semver'], ['retract', 'keyword.other.directive.retract'],
      ['[', 'punctuation.section.brackets.begin'], ['v1.0.0', 'constant.numeric.version.semver'], [',', 'punctuation.separator.comma'],
      ['v1.0.5', 'constant.numeric.version.semver'], [']', 'punctuation.section.brackets.end'], ['// broken build', 'comment.line.double-slash'],
      ['v1.1.0', 'constant.numeric.version.semver'], ['// oops', 'comment.line.double-slash']],
  },
  {
    lang: 'go.mod',
    text: 'tool golang.org/x/tools/cmd/stringer\nignore ./node_modules\nignore (\n\tthird_party/js\n)',
    want: [['tool', 'keyword.other.directive.tool'], ['golang.org/x/tools/cmd/stringer', 'entity.name.namespace.module-path'],
      ['ignore', 'keyword.other.directive.ignore'], ['./node_modules', 'string.unquoted.path'],
      ['third_party/js', 'entity.name.namespace.module-path']],
  },
  {
    // Not directives: a word that only starts like one, and a commented-out line.
    lang: 'go.mod',
    text: 'required x\n// require example.com/a v1.0.0',
    want: [['// require example.com/a v1.0.0', 'comment.line.double-slash']],
    absent: [['required', 'keyword']],
  },
  {
    lang: 'go.work',
    text: 'go 1.23\n\nuse (\n\t.\n\t./tools // the tools\n\tsub/dir\n)\nuse ../other\nreplace example.com/a => ./a\ntoolchain go1.23.1',
    want: [['go', 'keyword.other.directive.go'], ['1.23', 'constant.numeric.go-version'], ['use', 'keyword.other.directive.use'],
      ['(', 'punctuation.section.parens.begin'], ['.', 'string.unquoted.path'], ['./tools', 'string.unquoted.path'],
      ['// the tools', 'comment.line.double-slash'], ['sub/dir', 'string.unquoted.path'], [')', 'punctuation.section.parens.end'],
      ['use', 'keyword.other.directive.use'], ['../other', 'string.unquoted.path'], ['replace', 'keyword.other.directive.replace'],
      ['example.com/a', 'entity.name.namespace.module-path'], ['=>', 'keyword.operator.arrow'], ['./a', 'string.unquoted.path'],
      ['go1.23.1', 'constant.numeric.toolchain']],
  },
  {
    lang: 'go.sum',
    text: [
      'golang.org/x/mod v0.20.0 h1:utOm6MM3R3dnawAiJgn0y+xvuYRsm1RKM/4giyfDgV0=',
      'golang.org/x/mod v0.20.0/go.mod h1:hTbmBsO62+eylJbnUtE2MGJUyE7QWk4xUqPFrRgJ+7c=',
      'github.com/x/y v2.0.0+incompatible/go.mod h1:abc=',
      'golang.org/x/sys v0.0.0-20240101000000-0123456789ab h1:abc=',
      'not a go.sum line',
    ].join('\n'),
    want: [['golang.org/x/mod', 'entity.name.namespace.module-path'], ['v0.20.0', 'constant.numeric.version.semver'],
      ['h1', 'storage.type.hash-algorithm'], [':', 'punctuation.separator.key-value'],
      ['utOm6MM3R3dnawAiJgn0y+xvuYRsm1RKM/4giyfDgV0=', 'constant.other.hash'],
      ['v0.20.0', 'constant.numeric.version.semver'], ['/go.mod', 'keyword.other.go-mod-suffix'],
      ['+incompatible', 'storage.modifier.incompatible'], ['/go.mod', 'keyword.other.go-mod-suffix'],
      ['v0.0.0-20240101000000-0123456789ab', 'constant.numeric.version.pseudo'],
      ['not a go.sum line', 'invalid.illegal.malformed-line']],
  },
];

let pieces = 0;
for (const c of cases) {
  const L = suffix[c.lang];
  const tokens = tokenize(c.lang, c.text);
  const lines = c.text.split('\n');
  // Offsets of the whole text, to search pieces in order across lines.
  const lineStart = [];
  let off = 0;
  for (const l of lines) {
    lineStart.push(off);
    off += l.length + 1;
  }
  const dump = () => tokens.map((t) => `    ${JSON.stringify(t.text)} ${t.scopes.join(' ')}`).join('\n');
  let from = 0;
  for (const [piece, scope] of c.want) {
    pieces++;
    const at = c.text.indexOf(piece, from);
    if (at < 0) {
      fail(`${c.lang} case ${JSON.stringify(c.text.slice(0, 40))}: ${JSON.stringify(piece)} not found after offset ${from} (the case is wrong)`);
      break;
    }
    from = at + 1; // the next piece may lie inside this one
    const line = lineStart.findLastIndex((s) => s <= at);
    const start = at - lineStart[line];
    const end = start + piece.length;
    const covering = tokens.filter((t) => t.line === line && t.end > start && t.start < end);
    const full = `${scope}.${L}`;
    const aligned = covering.length > 0 && covering[0].start === start && covering[covering.length - 1].end === end;
    const scoped = covering.every((t) => t.scopes.some((s) => s === full || s.startsWith(full + '.')));
    if (!aligned || !scoped) {
      fail(`${c.lang}: ${JSON.stringify(piece)} on line ${JSON.stringify(lines[line])}: want ${aligned ? '' : 'whole tokens '}with scope ${full}, got\n` +
        covering.map((t) => `    ${JSON.stringify(t.text)} ${t.scopes.join(' ')}`).join('\n') + `\n  all tokens:\n${dump()}`);
    }
  }
  for (const [piece, scope] of c.absent ?? []) {
    pieces++;
    for (const t of tokens) {
      if (t.text.includes(piece) && t.scopes.some((s) => s.startsWith(scope + '.'))) {
        fail(`${c.lang}: ${JSON.stringify(t.text)} got ${t.scopes.join(' ')}, want no ${scope}.*`);
      }
    }
  }
}

// Real files: nothing invalid, and in go.sum every line a checksum line.
const real = [
  ['go.mod', join(repo, 'go.mod')],
  ['go.sum', join(repo, 'go.sum')],
  ['go.work', join(ext, 'testdata', 'gowork', 'go.work')],
  ['go.mod', join(ext, 'testdata', 'gowork', 'a', 'go.mod')],
];
for (const [lang, p] of real) {
  if (!existsSync(p)) {
    continue;
  }
  const tokens = tokenize(lang, readFileSync(p, 'utf8'));
  for (const t of tokens) {
    if (t.scopes.some((s) => s.startsWith('invalid.'))) {
      fail(`${p}:${t.line + 1}: ${JSON.stringify(t.text)} is ${t.scopes.join(' ')}`);
    }
    if (lang === 'go.sum' && t.text.trim() !== '' && !t.scopes.some((s) => s.startsWith('meta.checksum.'))) {
      fail(`${p}:${t.line + 1}: ${JSON.stringify(t.text)} is not in a checksum line (${t.scopes.join(' ')})`);
    }
  }
}

report();
console.log(`check-grammars: ${grammarsByScope.size} grammars, ${regexes} regexes compile in Oniguruma, ${cases.length} cases (${pieces} pieces) and ${real.length} real files tokenize as expected`);
