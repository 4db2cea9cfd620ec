// Event XML, indented for reading: one element per line, text kept with its element. Only
// whitespace between tags is added, so the copy is the same document.
const TOKEN = /<!--[\s\S]*?-->|<[^>]+>|[^<]+/g;

export function prettyXml(xml: string, indent = '  '): string {
  const lines: string[] = [];
  let depth = 0;
  const tokens = xml.match(TOKEN) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (token.trim() === '') continue;
    if (token.startsWith('</')) {
      depth = Math.max(0, depth - 1);
      lines.push(indent.repeat(depth) + token);
    } else if (token.startsWith('<')) {
      const opens = !token.endsWith('/>') && !token.startsWith('<?') && !token.startsWith('<!');
      const text = tokens[i + 1], close = tokens[i + 2];
      // <Data Name="x">value</Data> stays on one line.
      if (opens && text !== undefined && !text.startsWith('<') && close?.startsWith('</')) {
        lines.push(indent.repeat(depth) + token + text + close);
        i += 2;
        continue;
      }
      lines.push(indent.repeat(depth) + token);
      if (opens) depth++;
    } else {
      lines.push(indent.repeat(depth) + token.trim());
    }
  }
  return lines.join('\n');
}
