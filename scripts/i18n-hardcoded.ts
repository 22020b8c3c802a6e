/**
 * Finds hard-coded user-facing strings in components/*.tsx: JSX text with letters, string literals
 * given to aria-label/title/placeholder/alt/label (and aria-description), and string literals that are
 * the direct value of a JSX expression (`{busy ? 'Saving…' : 'Save'}`). Run: `npx tsx scripts/i18n-hardcoded.ts`.
 * Exits 1 and lists file:line:text when any is found. A line may opt out with `// i18n-ignore` (for
 * text that is not words: symbols, brand names).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** Attributes whose literal value a person reads or hears. */
const ATTRS = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label', 'aria-description', 'aria-roledescription', 'aria-valuetext']);

/** One hard-coded string found. */
export type Finding = { file: string; line: number; text: string };

/** True when the text has a letter in it (punctuation, arrows and numbers alone are not words to translate). */
function hasWords(s: string): boolean {
  return /\p{L}{2,}/u.test(s);
}

/** Collects the string literals an expression can evaluate to directly (through ?:, ||, ??, parentheses). */
function literalsOf(e: ts.Expression, out: ts.Node[]): void {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) out.push(e);
  else if (ts.isTemplateExpression(e)) {
    out.push(e);
    // Words chosen inside the template (`${n === 1 ? 'page' : 'pages'}`) are hard-coded too.
    for (const s of e.templateSpans) literalsOf(s.expression, out);
  } else if (ts.isParenthesizedExpression(e)) literalsOf(e.expression, out);
  else if (ts.isConditionalExpression(e)) {
    literalsOf(e.whenTrue, out);
    literalsOf(e.whenFalse, out);
  } else if (
    ts.isBinaryExpression(e) &&
    [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandToken].includes(e.operatorToken.kind)
  ) {
    literalsOf(e.right, out);
    if (e.operatorToken.kind !== ts.SyntaxKind.AmpersandAmpersandToken) literalsOf(e.left, out);
  }
}

function textOf(n: ts.Node, sf: ts.SourceFile): string {
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text;
  if (ts.isTemplateExpression(n)) return [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(' ');
  return n.getText(sf);
}

/** A hard-coded string's node: JSX text, a string attribute value, or a literal in an expression. */
export type HardcodedNode = { node: ts.Node; kind: 'text' | 'attr' | 'expr'; text: string };

/** True for a call that puts text in React state a person reads (`setError('…')`, `setStatus(`…`)`). */
function isStateSetter(n: ts.CallExpression): boolean {
  return ts.isIdentifier(n.expression) && /^set[A-Z]/.test(n.expression.text);
}

/**
 * Text that reads as words for people anywhere in a component (module constants, status objects,
 * props such as `intro="…"`): a capitalised word followed by more words, or words ending a sentence.
 */
function isProse(s: string): boolean {
  const x = s.trim();
  if (/^(https?:|wss?:|mailto:|\/|#|\.|data:)/.test(x) || /^[\w.-]+@/.test(x)) return false;
  return /^\p{Lu}\p{Ll}+[\s,’'](\S+\s)*\S/u.test(x) || /\p{L}{2,}\s+\p{L}{2,}.*[.…:?!)]$/u.test(x);
}

/** True when `n` is what `e` (an attribute value or JSX expression) evaluates to directly. */
function directLiteral(e: ts.Node | undefined, n: ts.Node): boolean {
  if (!e) return false;
  if (e === n) return true;
  if (!ts.isJsxExpression(e) || !e.expression) return false;
  const lits: ts.Node[] = [];
  literalsOf(e.expression, lits);
  return lits.includes(n);
}

/** Literals that are not for people: imports, console output, test ids, class names and keys. */
function isExempt(n: ts.Node, sf: ts.SourceFile): boolean {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p)) return true;
    if (ts.isCallExpression(p)) {
      const callee = p.expression.getText(sf);
      if (/^console\.|^t$|^tr$|^querySelector|\.querySelector|^performance\./.test(callee)) return true;
    }
    if (ts.isJsxAttribute(p) && /^(className|data-testid|id|key|href|type|role|htmlFor|name|autoComplete|lang|pattern|accept)$/.test(p.name.getText(sf)))
      return true;
    if (ts.isJsxAttribute(p) && ATTRS.has(p.name.getText(sf)) && directLiteral(p.initializer, n)) return true; // the attribute rule has it
    if (ts.isJsxExpression(p) && p.parent && (ts.isJsxElement(p.parent) || ts.isJsxFragment(p.parent)) && directLiteral(p, n)) return true; // the JSX rule has it
  }
  return false;
}

/** Finds the hard-coded user-facing strings of one parsed .tsx file. */
export function findHardcoded(sf: ts.SourceFile): HardcodedNode[] {
  const lines = sf.text.split('\n');
  const found: HardcodedNode[] = [];
  const add = (node: ts.Node, kind: HardcodedNode['kind'], text: string, needSentence = false) => {
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
    if (!hasWords(text) || lines[line]?.includes('i18n-ignore')) return;
    if (needSentence && !/\s|[.…:!?]$/.test(text.trim())) return;
    if (found.some((f) => f.node === node)) return;
    found.push({ node, kind, text });
  };
  const addLiterals = (e: ts.Expression, needSentence = false) => {
    const lits: ts.Node[] = [];
    literalsOf(e, lits);
    for (const l of lits) add(l, 'expr', textOf(l, sf), needSentence);
  };
  const visit = (n: ts.Node) => {
    if (ts.isJsxText(n)) add(n, 'text', n.text);
    else if (ts.isJsxAttribute(n) && n.initializer && ATTRS.has(n.name.getText(sf))) {
      if (ts.isStringLiteral(n.initializer)) add(n.initializer, 'attr', n.initializer.text);
      else if (ts.isJsxExpression(n.initializer) && n.initializer.expression) addLiterals(n.initializer.expression);
    } else if (ts.isJsxExpression(n) && n.expression && (ts.isJsxElement(n.parent) || ts.isJsxFragment(n.parent))) addLiterals(n.expression);
    else if (ts.isCallExpression(n) && isStateSetter(n) && n.arguments[0]) addLiterals(n.arguments[0], true);
    else if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n)) && isProse(textOf(n, sf)) && !isExempt(n, sf))
      add(n, 'expr', textOf(n, sf));
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** Scans one .tsx source text. */
export function scanSource(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  return findHardcoded(sf).map((f) => ({
    file,
    line: sf.getLineAndCharacterOfPosition(f.node.getStart(sf)).line + 1,
    text: f.text.trim().replace(/\s+/g, ' ').slice(0, 80),
  }));
}

/** Scans every components/*.tsx under `root`. */
export function scanComponents(root: string): Finding[] {
  const dir = join(root, 'components');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tsx'))
    .sort()
    .flatMap((f) => scanSource(`components/${f}`, readFileSync(join(dir, f), 'utf8')));
}

if (process.argv[1] && /i18n-hardcoded\.ts$/.test(process.argv[1])) {
  const found = scanComponents(process.cwd());
  for (const f of found) console.log(`${f.file}:${f.line}: ${f.text}`);
  console.log(`${found.length} hard-coded user-facing string(s) in components/*.tsx`);
  process.exit(found.length ? 1 : 0);
}
