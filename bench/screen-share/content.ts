/*
 * What the bench shares, 1920×1080, painted on a canvas in the sender's page (run.ts): a static
 * slide (title, bullets, a bar chart, a footer; the same pixels every frame) and a document of text
 * scrolling continuously at SCROLL_PX_PER_S (a reader skimming a page). The function is serialised
 * into the page (`paint.toString()`), so it uses nothing outside its own body.
 */

export type Content = 'slide' | 'scroll';

export const WIDTH = 1920;
export const HEIGHT = 1080;
/** Scrolling speed of the text: ≈ 4 lines of 30 px per second. */
export const SCROLL_PX_PER_S = 120;

/** Paints `content` at `seconds` since it started. Self-contained: it runs in the page. */
export function paint(ctx: CanvasRenderingContext2D, content: Content, seconds: number, speed: number): void {
  const w = ctx.canvas.width;
  const h = ctx.canvas.height;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, w, h);
  // A deterministic word stream: the same text in every run.
  const words = [
    'media',
    'engine',
    'forwards',
    'every',
    'packet',
    'to',
    'the',
    'subscribers',
    'of',
    'a',
    'room',
    'keyframe',
    'request',
    'bandwidth',
    'estimate',
    'simulcast',
    'layer',
    'encrypted',
    'frame',
    'signalling',
    'server',
    'participant',
    'const',
    'return',
    'await',
    'function',
    'interface',
  ];
  const line = (n: number) => {
    let seed = (n * 2654435761) >>> 0;
    const out: string[] = [];
    const count = 6 + (seed % 9);
    for (let i = 0; i < count; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      out.push(words[seed % words.length] as string);
    }
    return `${String(n + 1).padStart(4, ' ')}  ${'  '.repeat(n % 4)}${out.join(' ')}`;
  };
  if (content === 'slide') {
    ctx.fillStyle = '#1d3557';
    ctx.fillRect(0, 0, w, 160);
    ctx.fillStyle = '#ffffff';
    ctx.font = 'bold 72px sans-serif';
    ctx.fillText('Quarterly review: media quality', 80, 110);
    ctx.fillStyle = '#222222';
    ctx.font = '44px sans-serif';
    for (let i = 0; i < 6; i++) ctx.fillText(`•  ${line(i * 7).slice(6, 60)}`, 100, 280 + i * 90);
    const bars = [320, 460, 380, 540, 610, 700];
    bars.forEach((bar, i) => {
      ctx.fillStyle = ['#e63946', '#f4a261', '#2a9d8f', '#457b9d', '#8ab17d', '#264653'][i] as string;
      ctx.fillRect(1200 + i * 110, 920 - bar, 80, bar);
    });
    ctx.fillStyle = '#666666';
    ctx.font = '28px sans-serif';
    ctx.fillText('Conclave · 3 / 12', 80, h - 40);
    return;
  }
  const lineHeight = 30;
  const offset = seconds * speed;
  const first = Math.floor(offset / lineHeight);
  ctx.fillStyle = '#1e1e1e';
  ctx.font = '22px monospace';
  for (let i = 0; i <= Math.ceil(h / lineHeight) + 1; i++) {
    const y = (first + i) * lineHeight - offset + 24;
    ctx.fillText(line(first + i), 40, y);
  }
}
