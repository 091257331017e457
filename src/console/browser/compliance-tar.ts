// A bundle as ONE downloadable file: a POSIX ustar archive of its files under one folder, which
// `tar -xf` unpacks on Linux, macOS and Windows 10+ alike. Hand-written (some 30 lines) because the
// archive is plain: regular files only, names under 100 bytes below a folder of at most 155.

const BLOCK = 512;
const enc = new TextEncoder();

const field = (header: Uint8Array, at: number, length: number, text: string) => {
  const bytes = enc.encode(text);
  if (bytes.length > length) throw new Error(`tar field too long: ${text}`);
  header.set(bytes, at);
};
const octal = (n: number, length: number) => `${n.toString(8).padStart(length - 1, '0')}\0`;

const header = (folder: string, name: string, size: number, mtime: number): Uint8Array => {
  const h = new Uint8Array(BLOCK);
  field(h, 0, 100, name);
  field(h, 100, 8, octal(0o644, 8));
  field(h, 108, 8, octal(0, 8));
  field(h, 116, 8, octal(0, 8));
  field(h, 124, 12, octal(size, 12));
  field(h, 136, 12, octal(mtime, 12));
  field(h, 148, 8, '        '); // the checksum is computed with its own field as spaces
  field(h, 156, 1, '0');
  field(h, 257, 6, 'ustar\0');
  field(h, 263, 2, '00');
  field(h, 345, 155, folder);
  const sum = h.reduce((a, b) => a + b, 0);
  field(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
};

/** A ustar archive of `files` (name → UTF-8 text; `a/b.txt` makes a sub-folder) under `folder/`. */
export const tarFolder = (folder: string, files: Record<string, string>, mtime = Math.floor(Date.now() / 1000)): Blob => {
  const parts: Uint8Array[] = [];
  for (const [name, text] of Object.entries(files)) {
    const body = enc.encode(text);
    parts.push(header(folder, name, body.length, mtime), body, new Uint8Array((BLOCK - (body.length % BLOCK)) % BLOCK));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  return new Blob(parts as BlobPart[], { type: 'application/x-tar' });
};
