import { Project, ts } from 'ts-morph';
import { diagnostic, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { Loaded } from './loaded.js';
import { childPointer, lineStartsOf, positionAt, SourceMap, startOfFile } from './source-map.js';

/** Where every definition is parsed; the user's path only appears in spans, so any path works. */
const VIRTUAL_PATH = '/gateway.ts';
const PACKAGE = 'mcpgw';

/** Marks a node that was reported and is left out of the definition. */
const REJECTED = Symbol('rejected');

/** What a callee means: the package's two functions, whatever local name they were imported under. */
type Role = 'defineGateway' | 'env';

let project: Project | undefined;

/**
 * Creating a Project costs more than parsing a definition, so one is shared by every call.
 * Nothing is resolved or type-checked: only the syntax tree of the one file is read.
 */
function sharedProject(): Project {
  project ??= new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    compilerOptions: { noLib: true, noResolve: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  });
  return project;
}

/**
 * Reads a gateway.ts statically: only literal data and env("NAME") are accepted, and the file is
 * never executed, so a definition cannot run code at build time. Every rejected node is reported
 * at its own position and left out, so later checks still see the rest of the definition.
 */
export function loadTypeScript(file: string, text: string): Loaded {
  const p = sharedProject();
  const source = p.createSourceFile(VIRTUAL_PATH, text, { overwrite: true });
  try {
    const syntax = p.getProgram().compilerObject.getSyntacticDiagnostics(source.compilerNode);
    const reader = new Reader(file, text, source.compilerNode);
    // Like tsc, report only syntax errors when there are any: the recovered tree would add noise.
    if (syntax.length) return reader.fail(syntax.map((d) => reader.syntaxError(d)));
    return reader.read();
  } finally {
    p.removeSourceFile(source);
  }
}

class Reader {
  readonly #file: string;
  readonly #source: ts.SourceFile;
  readonly #lineStarts: number[];
  readonly #sourceMap: SourceMap;
  readonly #diagnostics: Diagnostic[] = [];
  readonly #omitted: string[] = [];
  readonly #roles = new Map<string, Role>([
    ['defineGateway', 'defineGateway'],
    ['env', 'env'],
  ]);
  /** Local names of `import * as x from 'mcpgw'`, so `x.env("A")` is recognised too. */
  readonly #namespaces = new Set<string>();

  constructor(file: string, text: string, source: ts.SourceFile) {
    this.#file = file;
    this.#source = source;
    this.#lineStarts = lineStartsOf(text);
    this.#sourceMap = new SourceMap(file);
  }

  fail(diagnostics: Diagnostic[]): Loaded {
    return { file: this.#file, definition: undefined, sourceMap: this.#sourceMap, diagnostics };
  }

  syntaxError(d: ts.DiagnosticWithLocation): Diagnostic {
    const span = this.#offsets(d.start, d.start + d.length);
    return diagnostic('MG201', span, ts.flattenDiagnosticMessageText(d.messageText, ' '));
  }

  read(): Loaded {
    let exported: ts.Node | undefined;
    for (const statement of this.#source.statements) {
      const candidate = this.#statement(statement);
      if (!candidate) continue;
      if (exported) this.#report(diagnostic('MG201', this.#span(statement), 'a module cannot have more than one default export'));
      else exported = candidate;
    }
    const definition = exported ? this.#definition(exported) : this.#missingExport();
    return { file: this.#file, definition, sourceMap: this.#sourceMap, diagnostics: this.#diagnostics, omitted: this.#omitted };
  }

  #missingExport(): undefined {
    this.#report(diagnostic('MG202', startOfFile(this.#file)));
    return undefined;
  }

  /** Checks one top-level statement; returns the node a default export exports, if it is one. */
  #statement(statement: ts.Statement): ts.Node | undefined {
    if (ts.isExportAssignment(statement) && !statement.isExportEquals) return statement.expression;
    if (isDefaultDeclaration(statement)) return statement;
    if (ts.isImportDeclaration(statement)) this.#import(statement);
    else if (ts.isImportEqualsDeclaration(statement)) this.#importEquals(statement);
    else if (ts.isExportDeclaration(statement)) this.#export(statement);
    else if (!isInert(statement)) this.#report(diagnostic('MG207', this.#span(statement)));
    return undefined;
  }

  #import(statement: ts.ImportDeclaration): void {
    const from = moduleName(statement.moduleSpecifier);
    const clause = statement.importClause;
    if (from === PACKAGE) return this.#bindPackage(clause);
    if (clause && isTypeOnlyImport(clause)) return;
    this.#report(diagnostic('MG206', this.#span(statement.moduleSpecifier), `an import from '${from}'`));
  }

  #bindPackage(clause: ts.ImportClause | undefined): void {
    const bindings = clause?.namedBindings;
    if (!bindings) return;
    if (ts.isNamespaceImport(bindings)) {
      this.#namespaces.add(bindings.name.text);
      return;
    }
    for (const element of bindings.elements) {
      const role = packageRole((element.propertyName ?? element.name).text);
      if (role) this.#roles.set(element.name.text, role);
    }
  }

  #importEquals(statement: ts.ImportEqualsDeclaration): void {
    const reference = statement.moduleReference;
    if (statement.isTypeOnly || !ts.isExternalModuleReference(reference)) return;
    const from = moduleName(reference.expression);
    if (from !== PACKAGE) this.#report(diagnostic('MG206', this.#span(reference.expression), `an import from '${from}'`));
  }

  #export(statement: ts.ExportDeclaration): void {
    const specifier = statement.moduleSpecifier;
    if (!specifier || statement.isTypeOnly) return;
    const from = moduleName(specifier);
    if (from !== PACKAGE) this.#report(diagnostic('MG206', this.#span(specifier), `a re-export from '${from}'`));
  }

  /** The root: `defineGateway({...})` or a bare object literal, under any type-only wrappers. */
  #definition(exported: ts.Node): unknown {
    let node = unwrap(exported);
    if (ts.isCallExpression(node) && this.#role(node.expression) === 'defineGateway') {
      const [argument, ...extra] = node.arguments;
      if (!argument || extra.length) return this.#notObject(node, `a call with ${node.arguments.length} arguments`);
      node = unwrap(argument);
    }
    if (!ts.isObjectLiteralExpression(node)) return this.#notObject(node, this.#describe(node));
    return this.#value(node, '', undefined);
  }

  #notObject(node: ts.Node, what: string): undefined {
    this.#report(diagnostic('MG203', this.#span(node), what));
    return undefined;
  }

  /** Evaluates a node and records where it came from; REJECTED when it was reported instead. */
  #value(node: ts.Expression, pointer: string, key: Span | undefined): unknown {
    const value = this.#evaluate(unwrap(node), pointer);
    if (value !== REJECTED) this.#sourceMap.set(pointer, key ? { key, value: this.#span(node) } : { value: this.#span(node) });
    return value;
  }

  #evaluate(node: ts.Expression, pointer: string): unknown {
    if (ts.isObjectLiteralExpression(node)) return this.#object(node, pointer);
    if (ts.isArrayLiteralExpression(node)) return this.#array(node, pointer);
    if (ts.isTemplateExpression(node)) return this.#template(node);
    if (ts.isCallExpression(node) && this.#role(node.expression) === 'env') return this.#env(node);
    const scalar = literal(node);
    if (scalar !== REJECTED) return scalar;
    return this.#reject(node, this.#describe(node));
  }

  #object(node: ts.ObjectLiteralExpression, pointer: string): unknown {
    const object: Record<string, unknown> = {};
    const seen = new Map<string, ts.PropertyName>();
    for (const property of node.properties) {
      if (!ts.isPropertyAssignment(property)) {
        this.#reject(property, this.#describe(property));
        continue;
      }
      const key = this.#key(property.name);
      if (key === REJECTED) continue;
      const first = seen.get(key);
      if (first) {
        this.#report(diagnostic('MG113', this.#span(property.name), key, [{ span: this.#span(first), message: 'first defined here' }]));
        continue;
      }
      seen.set(key, property.name);
      const value = this.#value(property.initializer, childPointer(pointer, key), this.#span(property.name));
      if (value === REJECTED) this.#omitted.push(childPointer(pointer, key));
      // defineProperty, because assigning '__proto__' would change the prototype instead of adding a key.
      if (value !== REJECTED) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return object;
  }

  #key(name: ts.PropertyName): string | typeof REJECTED {
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
    // The scanner already normalises numeric text (0x10 → "16"); Number() also drops trailing zeros, as JS does.
    if (ts.isNumericLiteral(name)) return String(Number(name.text));
    return this.#reject(name, this.#describe(name));
  }

  /** Rejected items are left out, so pointers follow the resulting array, not the source. */
  #array(node: ts.ArrayLiteralExpression, pointer: string): unknown {
    const array: unknown[] = [];
    for (const element of node.elements) {
      if (ts.isOmittedExpression(element)) {
        const at = this.#skipBlanks(element.pos);
        this.#report(diagnostic('MG208', this.#offsets(at, at)));
        continue;
      }
      const value = this.#value(element, childPointer(pointer, array.length), undefined);
      if (value !== REJECTED) array.push(value);
    }
    return array;
  }

  /** `env("NAME")` is a reference the runtime resolves; the definition keeps it as "${env:NAME}". */
  #env(call: ts.CallExpression): unknown {
    const [argument, ...extra] = call.arguments;
    const name = argument && !extra.length ? literal(unwrap(argument)) : REJECTED;
    if (typeof name === 'string') return `\${env:${name}}`;
    const at = argument && !extra.length ? argument : call;
    this.#report(diagnostic('MG205', this.#span(at)));
    return REJECTED;
  }

  /**
   * A template whose substitutions are themselves literal text, such as `Bearer ${env("TOKEN")}`,
   * is as static as a string literal, so it is folded; any other substitution is reported where it is.
   */
  #template(node: ts.TemplateExpression): unknown {
    let text = node.head.text;
    let rejected = false;
    for (const span of node.templateSpans) {
      const part = this.#substitution(unwrap(span.expression));
      if (part === REJECTED) rejected = true;
      else text += part + span.literal.text;
    }
    return rejected ? REJECTED : text;
  }

  #substitution(node: ts.Expression): string | typeof REJECTED {
    if (isLiteralData(node)) return this.#reject(node, `${this.#describe(node)} inside \`\${…}\``);
    // What is left evaluates to a string or a number, or was reported.
    const value = this.#evaluate(node, '');
    return value === REJECTED ? REJECTED : String(value);
  }

  /** A hole has no width and starts before the blanks, where the TypeScript API will not skip them. */
  #skipBlanks(offset: number): number {
    const blanks = /\s*/y;
    blanks.lastIndex = offset;
    blanks.exec(this.#source.text);
    return blanks.lastIndex;
  }

  #role(callee: ts.Expression): Role | undefined {
    if (ts.isIdentifier(callee)) return this.#roles.get(callee.text);
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && this.#namespaces.has(callee.expression.text)) {
      return packageRole(callee.name.text);
    }
    return undefined;
  }

  /** Names the construct in a diagnostic, as the user would call it. */
  #describe(node: ts.Node): string {
    if (ts.isIdentifier(node)) return `the identifier '${node.text}'`;
    if (ts.isCallExpression(node)) return `a call to '${this.#excerpt(node.expression)}'`;
    if (ts.isSpreadElement(node) || ts.isSpreadAssignment(node)) return 'a spread';
    if (ts.isShorthandPropertyAssignment(node)) return `the shorthand property '${node.name.text}'`;
    if (ts.isComputedPropertyName(node)) return 'a computed property name';
    if (ts.isMethodDeclaration(node) || ts.isAccessor(node)) return 'a method';
    if (ts.isArrowFunction(node)) return 'an arrow function';
    if (ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node)) return 'a function';
    if (ts.isClassExpression(node) || ts.isClassDeclaration(node)) return 'a class';
    if (ts.isNewExpression(node)) return `'new ${this.#excerpt(node.expression)}'`;
    if (ts.isObjectLiteralExpression(node)) return 'an object';
    if (ts.isArrayLiteralExpression(node)) return 'an array';
    const scalar = literal(node as ts.Expression);
    if (scalar !== REJECTED) return scalar === null ? 'null' : `a ${typeof scalar}`;
    return `the expression '${this.#excerpt(node)}'`;
  }

  /** The node's source text on one line, shortened so a diagnostic stays readable. */
  #excerpt(node: ts.Node): string {
    const text = node.getText(this.#source).replace(/\s+/g, ' ');
    return text.length > 40 ? `${text.slice(0, 39)}…` : text;
  }

  #reject(node: ts.Node, what: string): typeof REJECTED {
    this.#report(diagnostic('MG204', this.#span(node), what));
    return REJECTED;
  }

  #report(d: Diagnostic): void {
    this.#diagnostics.push(d);
  }

  #span(node: ts.Node): Span {
    return this.#offsets(node.getStart(this.#source), node.getEnd());
  }

  #offsets(start: number, end: number): Span {
    return { file: this.#file, start: positionAt(this.#lineStarts, start), end: positionAt(this.#lineStarts, end) };
  }
}

/** Strips what only the type checker sees (`as const`, `satisfies T`, parentheses) to reach the data. */
function unwrap(node: ts.Node): ts.Expression {
  let current = node as ts.Expression;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isTypeAssertionExpression(current) ||
    ts.isNonNullExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/** The value of a string, number, boolean or null literal; REJECTED for anything else. */
function literal(node: ts.Expression): unknown {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) {
    return -Number(node.operand.text);
  }
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  return REJECTED;
}

/** Literal data that is valid in a definition but has no text form inside a template. */
function isLiteralData(node: ts.Expression): boolean {
  return (
    ts.isObjectLiteralExpression(node) ||
    ts.isArrayLiteralExpression(node) ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    node.kind === ts.SyntaxKind.NullKeyword
  );
}

function packageRole(name: string): Role | undefined {
  return name === 'defineGateway' || name === 'env' ? name : undefined;
}

function moduleName(specifier: ts.Expression): string {
  return ts.isStringLiteral(specifier) ? specifier.text : specifier.getText();
}

/** `import type {…}`, or `import { type A, type B }` that binds no value. */
function isTypeOnlyImport(clause: ts.ImportClause): boolean {
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return !clause.name && !!bindings && ts.isNamedImports(bindings) && bindings.elements.every((e) => e.isTypeOnly);
}

function isDefaultDeclaration(statement: ts.Statement): statement is ts.FunctionDeclaration | ts.ClassDeclaration {
  if (!ts.isFunctionDeclaration(statement) && !ts.isClassDeclaration(statement)) return false;
  const modifiers = ts.getModifiers(statement) ?? [];
  return modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
}

/** Statements that would do nothing if the file ran: types, ambient declarations, empty statements. */
function isInert(statement: ts.Statement): boolean {
  if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEmptyStatement(statement)) return true;
  const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
  return modifiers.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
}
