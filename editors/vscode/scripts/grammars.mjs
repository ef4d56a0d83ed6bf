// The TextMate grammars of go.mod, go.work and go.sum (with go.work.sum),
// written for gomodls from the syntax golang.org/x/mod/modfile and
// golang.org/x/mod/sumdb/dirhash read: this file is their source,
// syntaxes/*.tmLanguage.json what VS Code loads. After an edit,
// `npm run grammars` rewrites the JSON; `npm run check` (check-grammars.mjs)
// fails while the JSON differs from what this file generates, and
// tokenizes sample lines with vscode-textmate.
//
// Every scope ends in the language's suffix (.gomod, .gowork, .gosum), and
// the root scopes are source.gomod, source.gowork and source.gosum, not
// source.go.*: a theme's rules for Go (source.go) must not restyle these.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// String.raw spares the regexes one level of escaping.
const r = String.raw;
const bt = '`';

// A token of a go.mod line as modfile's lexer splits it: a quoted or raw
// string, or a run of characters up to a space, a bracket, a comma or the
// "//" of a comment. Not "=>", which separates a replace's two sides.
const word = r`(?:[^\s"${bt}()\[\],/]|/(?!/))+`;
const tok = r`(?!=>)(?:"(?:[^"\\]|\\.)*"|${bt}[^${bt}]*${bt}|${word})`;

// The rules every grammar shares, with L the scope suffix.
function tokens(L) {
  return {
    comments: {
      patterns: [
        {
          comment: 'modfile marks a requirement indirect when its line comment is "// indirect" or starts with "// indirect;".',
          match: r`(//)\s*(indirect)(?=\s*$|\s*;)(.*)$`,
          name: `comment.line.double-slash.indirect.${L}`,
          captures: {
            1: { name: `punctuation.definition.comment.${L}` },
            2: { name: `keyword.other.indirect.${L}` },
          },
        },
        {
          comment: 'A module deprecation (on the module line, or the comment block above it).',
          match: r`(//)\s*(Deprecated:)(.*)$`,
          name: `comment.line.double-slash.deprecated.${L}`,
          captures: {
            1: { name: `punctuation.definition.comment.${L}` },
            2: { name: `keyword.other.deprecated.${L}` },
          },
        },
        {
          match: r`(//).*$`,
          name: `comment.line.double-slash.${L}`,
          captures: { 1: { name: `punctuation.definition.comment.${L}` } },
        },
      ],
    },
    string: {
      patterns: [
        {
          match: r`(")((?:[^"\\]|\\.)*)(")`,
          name: `string.quoted.double.${L}`,
          captures: {
            1: { name: `punctuation.definition.string.begin.${L}` },
            2: { patterns: [{ match: r`\\.`, name: `constant.character.escape.${L}` }] },
            3: { name: `punctuation.definition.string.end.${L}` },
          },
        },
        {
          match: r`(${bt})([^${bt}]*)(${bt})`,
          name: `string.quoted.raw.${L}`,
          captures: {
            1: { name: `punctuation.definition.string.begin.${L}` },
            3: { name: `punctuation.definition.string.end.${L}` },
          },
        },
      ],
    },
    version: {
      comment: 'Pseudo-versions as golang.org/x/mod/module.IsPseudoVersion, then canonical semantic versions; either may end in +incompatible.',
      patterns: [
        {
          match: r`(?<![\w.+-])v(?:0|[1-9]\d*)\.(?:0\.0-|\d+\.\d+-(?:[^+\s]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+incompatible)?(?![\w.+-])`,
          name: `constant.numeric.version.pseudo.${L}`,
          captures: { 1: { name: `storage.modifier.incompatible.${L}` } },
        },
        {
          match: r`(?<![\w.+-])v(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(\+incompatible)?(?![\w.+-])`,
          name: `constant.numeric.version.semver.${L}`,
          captures: { 1: { name: `storage.modifier.incompatible.${L}` } },
        },
      ],
    },
    'version-other': {
      comment: 'Anything else where a version goes (a branch, v1.2, latest): the go command resolves and rewrites it.',
      match: word,
      name: `constant.other.version.noncanonical.${L}`,
    },
    'module-path': {
      match: r`(?:[^\s"${bt}()\[\],/=]|/(?!/)|=(?!>))+`,
      name: `entity.name.namespace.module-path.${L}`,
    },
    'local-path': {
      comment: 'A directory: . or .., ./x, ../x, /abs, C:\\dir (a replacement, a use, an ignore).',
      match: r`(?:\.\.?(?=[/\\]|\s|$)|/(?!/)|[A-Za-z]:[\\/])(?:[^\s"${bt}()/]|/(?!/))*`,
      name: `string.unquoted.path.${L}`,
    },
    arrow: { match: '=>', name: `keyword.operator.arrow.${L}` },
  };
}

// directive is the rule of one directive, in its block form
// (`require (` … `)`) and its one-line form, with spec the rules of what
// follows the keyword on a line.
function directive(L, keyword, spec) {
  const kw = { name: `keyword.other.directive.${keyword}.${L}` };
  const patterns = [{ include: '#comments' }, ...spec];
  return {
    patterns: [
      {
        begin: r`^\s*(${keyword})\s*(\()`,
        beginCaptures: { 1: kw, 2: { name: `punctuation.section.parens.begin.${L}` } },
        end: r`\)`,
        endCaptures: { 0: { name: `punctuation.section.parens.end.${L}` } },
        name: `meta.directive.${keyword}.block.${L}`,
        patterns,
      },
      {
        begin: r`^\s*(${keyword})(?![\w.-])`,
        beginCaptures: { 1: kw },
        end: '$',
        name: `meta.directive.${keyword}.${L}`,
        patterns,
      },
    ],
  };
}

// directives are the rules of every directive of go.mod and go.work.
function directives(L) {
  const path = { patterns: [{ include: '#string' }, { include: '#local-path' }, { include: '#module-path' }] };
  const version = { patterns: [{ include: '#string' }, { include: '#version' }, { include: '#version-other' }] };
  // What a line half typed still shows.
  const loose = [{ include: '#string' }, { include: '#arrow' }, { include: '#version' }, { include: '#local-path' }, { include: '#module-path' }];
  const pathVersion = {
    comment: 'path version, as in require and exclude.',
    match: r`(${tok})\s+(${tok})`,
    captures: { 1: path, 2: version },
  };
  return {
    module: directive(L, 'module', [{ include: '#string' }, { include: '#module-path' }]),
    go: directive(L, 'go', [
      { match: r`(?<![\w.])\d+(?:\.\d+)*(?:(?:rc|beta)\d+)?(?![\w.])`, name: `constant.numeric.go-version.${L}` },
      { include: '#string' },
    ]),
    toolchain: directive(L, 'toolchain', [
      { match: r`(?<![\w.])default(?![\w.])`, name: `constant.language.toolchain.default.${L}` },
      { match: r`(?<![\w.])go\d+(?:\.\d+)*(?:(?:rc|beta)\d+)?(?:[-+][\w.+-]*)?(?![\w.])`, name: `constant.numeric.toolchain.${L}` },
      { include: '#string' },
    ]),
    godebug: directive(L, 'godebug', [
      {
        match: r`([\w.-]+)\s*(=)\s*((?:[^\s/]|/(?!/))*)`,
        captures: {
          1: { name: `variable.other.godebug.${L}` },
          2: { name: `keyword.operator.assignment.${L}` },
          3: { name: `constant.other.godebug-value.${L}` },
        },
      },
    ]),
    require: directive(L, 'require', [pathVersion, ...loose]),
    exclude: directive(L, 'exclude', [pathVersion, ...loose]),
    replace: directive(L, 'replace', [
      {
        comment: 'old [version] => new [version]: the new side is a module path with a version, or a directory.',
        match: r`(${tok})(?:\s+(${tok}))?\s*(=>)\s*(${tok})(?:\s+(${tok}))?`,
        captures: { 1: path, 2: version, 3: { name: `keyword.operator.arrow.${L}` }, 4: path, 5: version },
      },
      ...loose,
    ]),
    retract: directive(L, 'retract', [
      { match: r`\[`, name: `punctuation.section.brackets.begin.${L}` },
      { match: r`\]`, name: `punctuation.section.brackets.end.${L}` },
      { match: ',', name: `punctuation.separator.comma.${L}` },
      { include: '#string' },
      { include: '#version' },
      { include: '#version-other' },
    ]),
    tool: directive(L, 'tool', [{ include: '#string' }, { include: '#module-path' }]),
    ignore: directive(L, 'ignore', [{ include: '#string' }, { include: '#local-path' }, { include: '#module-path' }]),
    use: directive(L, 'use', [
      { include: '#string' },
      { include: '#local-path' },
      { match: word, name: `string.unquoted.path.${L}` },
    ]),
  };
}

// modGrammar is the grammar of a file of modfile's syntax holding the
// directives named (go.mod or go.work).
function modGrammar(name, L, names) {
  const all = directives(L);
  const repository = tokens(L);
  for (const n of names) {
    repository[`${n}-directive`] = all[n];
  }
  return {
    name,
    scopeName: `source.${L}`,
    comment: `${name}, as golang.org/x/mod/modfile reads it. Generated by scripts/grammars.mjs: edit that, then npm run grammars.`,
    patterns: [{ include: '#comments' }, ...names.map((n) => ({ include: `#${n}-directive` }))],
    repository,
  };
}

function sumGrammar() {
  const L = 'gosum';
  const t = tokens(L);
  return {
    name: 'go.sum',
    scopeName: `source.${L}`,
    comment: 'go.sum and go.work.sum: "<module> <version>[/go.mod] h1:<hash>" lines. Generated by scripts/grammars.mjs: edit that, then npm run grammars.',
    patterns: [
      {
        match: r`^\s*(\S+)\s+([^\s/]+)(/go\.mod)?\s+([A-Za-z0-9]+)(:)(\S*)\s*$`,
        name: `meta.checksum.${L}`,
        captures: {
          1: { name: `entity.name.namespace.module-path.${L}` },
          2: { patterns: [{ include: '#version' }, { include: '#version-other' }] },
          3: { name: `keyword.other.go-mod-suffix.${L}` },
          4: { name: `storage.type.hash-algorithm.${L}` },
          5: { name: `punctuation.separator.key-value.${L}` },
          6: { name: `constant.other.hash.${L}` },
        },
      },
      { match: r`^\s*\S.*$`, name: `invalid.illegal.malformed-line.${L}` },
    ],
    repository: { version: t.version, 'version-other': t['version-other'] },
  };
}

// grammars returns the three grammars by file name.
export function grammars() {
  return {
    'go.mod.tmLanguage.json': modGrammar('go.mod', 'gomod',
      ['module', 'go', 'toolchain', 'godebug', 'require', 'replace', 'exclude', 'retract', 'tool', 'ignore']),
    'go.work.tmLanguage.json': modGrammar('go.work', 'gowork', ['go', 'toolchain', 'godebug', 'use', 'replace']),
    'go.sum.tmLanguage.json': sumGrammar(),
  };
}

// grammarFiles returns the text of each grammar file as it must be on disk.
export function grammarFiles() {
  const files = {};
  for (const [name, g] of Object.entries(grammars())) {
    files[name] = JSON.stringify(g, null, 2) + '\n';
  }
  return files;
}

export const syntaxesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'syntaxes');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, text] of Object.entries(grammarFiles())) {
    writeFileSync(join(syntaxesDir, name), text);
    console.log(`grammars: syntaxes/${name}`);
  }
}
