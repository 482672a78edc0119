/**
 * A ZSTD frame of `bytes` line feeds made of run-length blocks: 4 bytes for every 128 KiB, so
 * 256 MiB take 8 KB, as the reproducer of issue 74 did (its window, 1 MiB, is within what
 * stepwright decompresses).
 */
export function zstdNewlines(bytes: number): Buffer {
  const block = 128 * 1024;
  const parts = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x50])];
  for (let left = bytes; left > 0; left -= block) {
    const size = Math.min(block, left);
    // Block header, 3 bytes little-endian: last block, type 1 (RLE), size; then the byte repeated.
    const header = (left <= block ? 1 : 0) + 2 + size * 8;
    parts.push(Buffer.from([header % 256, Math.floor(header / 256) % 256, Math.floor(header / 65536) % 256, 0x0a]));
  }
  return Buffer.concat(parts);
}
