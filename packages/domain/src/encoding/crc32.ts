// IEEE 802.3 polynomial, reflected: the CRC32 of zlib, PNG and GitHub's token checksums.
const CRC32_TABLE = buildTable(0xedb88320);

function buildTable(polynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? polynomial ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

function updateByte(crc: number, byte: number): number {
  return CRC32_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
}

/**
 * CRC32 (IEEE) of the UTF-8 encoding of `input`, or of raw bytes, as an unsigned 32-bit integer.
 * `end` limits the input to its first `end` UTF-16 code units (or bytes), so that a checksum over the
 * start of a token needs no slice. Strings are encoded on the fly rather than through TextEncoder so that
 * checking a token's checksum allocates nothing; lone surrogates count as U+FFFD, as TextEncoder does.
 */
export function crc32(input: string | Uint8Array, end: number = input.length): number {
  let crc = 0xffffffff;
  if (typeof input !== 'string') {
    for (let i = 0; i < end; i++) crc = updateByte(crc, input[i]!);
    return (crc ^ 0xffffffff) >>> 0;
  }
  for (let i = 0; i < end; i++) {
    let code = input.charCodeAt(i);
    if (code < 0x80) {
      crc = updateByte(crc, code);
      continue;
    }
    if (code < 0x800) {
      crc = updateByte(crc, 0xc0 | (code >> 6));
      crc = updateByte(crc, 0x80 | (code & 0x3f));
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = i + 1 < end ? input.charCodeAt(i + 1) : -1;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
        crc = updateByte(crc, 0xf0 | (code >> 18));
        crc = updateByte(crc, 0x80 | ((code >> 12) & 0x3f));
        crc = updateByte(crc, 0x80 | ((code >> 6) & 0x3f));
        crc = updateByte(crc, 0x80 | (code & 0x3f));
        continue;
      }
      code = 0xfffd;
    }
    crc = updateByte(crc, 0xe0 | (code >> 12));
    crc = updateByte(crc, 0x80 | ((code >> 6) & 0x3f));
    crc = updateByte(crc, 0x80 | (code & 0x3f));
  }
  return (crc ^ 0xffffffff) >>> 0;
}
