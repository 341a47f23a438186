/** Helpers for libpg-query's JSON parse tree: every node is `{ NodeType: { ...fields } }`. */

export type AstNode = Record<string, unknown>;
export type AstBody = Record<string, unknown>;

/** The type name of a wrapped node, e.g. 'SelectStmt'. */
export function nodeType(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  return Object.keys(node)[0];
}

/** The fields of a wrapped node. */
export function nodeBody(node: unknown): AstBody {
  const type = nodeType(node);
  if (type === undefined) return {};
  const body = (node as AstNode)[type];
  return body !== null && typeof body === 'object' ? (body as AstBody) : {};
}

/** The fields of a wrapped node when it has the given type. */
export function bodyIf(node: unknown, type: string): AstBody | undefined {
  return nodeType(node) === type ? nodeBody(node) : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The sval of a { String: { sval } } node. */
export function stringValue(node: unknown): string | undefined {
  const body = bodyIf(node, 'String');
  return typeof body?.sval === 'string' ? body.sval : undefined;
}

/** The svals of a list of String nodes (qualified names). */
export function names(value: unknown): string[] {
  return list(value).map((n) => stringValue(n) ?? '');
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Visits every object in the tree, depth first, with the key under which it was found. */
export function visit(tree: unknown, fn: (key: string, value: AstBody) => void, key = ''): void {
  if (Array.isArray(tree)) {
    for (const item of tree) visit(item, fn, key);
    return;
  }
  if (tree === null || typeof tree !== 'object') return;
  for (const [k, v] of Object.entries(tree)) {
    if (v !== null && typeof v === 'object') {
      if (!Array.isArray(v)) fn(k, v as AstBody);
      visit(v, fn, k);
    }
  }
}
