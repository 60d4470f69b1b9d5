/*
 * The one way this UI builds elements. Text always goes in through text nodes, never through
 * innerHTML, so a display name or room name can never become markup. Attributes are set one by
 * one; `style` is deliberately not among the options (the CSP forbids inline style attributes —
 * set `element.style.x` from code instead).
 */

type Child = Node | string | null | undefined | false;

export interface ElementOptions<E extends HTMLElement> {
  class?: string;
  /** Becomes `data-testid`, the stable hook for automated tests. */
  testid?: string;
  text?: string;
  attrs?: Record<string, string>;
  props?: Partial<Pick<E, WritableKeys<E>>>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

type WritableKeys<T> = {
  [K in keyof T]-?: T[K] extends (...args: never[]) => unknown ? never : K;
}[keyof T];

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions<HTMLElementTagNameMap[K]> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (options.class) el.className = options.class;
  if (options.testid) el.dataset.testid = options.testid;
  if (options.text !== undefined) el.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {})) el.setAttribute(name, value);
  if (options.props) Object.assign(el, options.props);
  for (const [type, listener] of Object.entries(options.on ?? {})) {
    el.addEventListener(type, listener as EventListener);
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Text that screen readers read but that takes no room on screen. */
export function srOnly(text: string): HTMLSpanElement {
  return h('span', { class: 'sr-only', text });
}

export function setHidden(el: HTMLElement, hidden: boolean): void {
  el.hidden = hidden;
}
