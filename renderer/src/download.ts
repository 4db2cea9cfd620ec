/** Saves text as a file through the browser's download path (no Node in the renderer). */
export function downloadText(fileName: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function stamp(): string { return new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-'); }
