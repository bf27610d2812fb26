type Attrs = Record<string, string | boolean | number | undefined>;

/** An element with properties (or data-/aria- attributes) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    if (name.startsWith('data-') || name.startsWith('aria-'))
      node.setAttribute(name, String(value));
    else (node as unknown as Record<string, unknown>)[name] = value;
  }
  node.append(...children);
  return node;
}

/** A message in a banner: 'error' (default), 'conflict' or 'ok'. */
export function notice(
  banner: HTMLElement,
  text: string,
  kind: 'error' | 'conflict' | 'ok' = 'error',
  ...extra: Node[]
): void {
  banner.className = `banner ${kind}`;
  banner.dataset.kind = kind;
  banner.replaceChildren(text, ...extra);
  banner.hidden = false;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
