/**
 * Saves a file the way a web page does: a Blob and an `<a download>` click. No `downloads`
 * permission needed, and the browser asks where to save if the person set it up that way.
 * @returns the file's size in bytes.
 */
export function saveFile(data: BlobPart, fileName: string, type: string): number {
  const blob = new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the URL by now; revoke later so slow disks still get it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return blob.size;
}

/** "34 KB", "1.2 MB": file sizes in the words people use. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
