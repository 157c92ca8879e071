// Writes the app's PNG icons: a blue tile with a white "cycle" arrow (answer → critique → revision).
// Drawn per pixel with 4×4 supersampling; PNG encoded by hand with zlib (no image library).
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BLUE = [0x2b, 0x59, 0xc3];
const WHITE = [0xff, 0xff, 0xff];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Shapes in unit coordinates (0..1, y down). `scale` shrinks the glyph toward the centre.
function inTile(x, y, rounded) {
  if (!rounded) return true;
  const r = 0.18;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
function inTriangle(px, py, [ax, ay], [bx, by], [cx, cy]) {
  const s = (x1, y1, x2, y2, x3, y3) => (x1 - x3) * (y2 - y3) - (x2 - x3) * (y1 - y3);
  const d1 = s(px, py, ax, ay, bx, by);
  const d2 = s(px, py, bx, by, cx, cy);
  const d3 = s(px, py, cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}
function inGlyph(x, y, scale) {
  const u = (x - 0.5) / scale;
  const v = (y - 0.5) / scale;
  const R = 0.3;
  const T = 0.085;
  const r = Math.hypot(u, v);
  // Angle clockwise from 12 o'clock, 0..360.
  const a = ((Math.atan2(u, -v) * 180) / Math.PI + 360) % 360;
  // Ring from 40° to 340° clockwise (gap at the top right), arrowhead at the 340° end... pointing clockwise
  // from the start: the gap sits between 340° and 40°, the head at 10°.
  const ring = r >= R - T / 2 && r <= R + T / 2 && a >= 40 && a <= 340;
  // Arrowhead at the 40° end, pointing back along the circle (counter-clockwise, toward the gap).
  const at = (deg, rad) => {
    const t = (deg * Math.PI) / 180;
    return [rad * Math.sin(t), -rad * Math.cos(t)];
  };
  const head = inTriangle(u, v, at(40, R - 0.13), at(40, R + 0.13), at(8, R));
  // Centre dot: the answer being revised.
  const dot = r <= 0.075;
  return ring || head || dot;
}
function render(size, { rounded, scale }) {
  const rgba = Buffer.alloc(size * size * 4);
  const S = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let tile = 0;
      let glyph = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const x = (px + (sx + 0.5) / S) / size;
          const y = (py + (sy + 0.5) / S) / size;
          if (inTile(x, y, rounded)) {
            tile++;
            if (inGlyph(x, y, scale)) glyph++;
          }
        }
      }
      const i = (py * size + px) * 4;
      const g = tile ? glyph / tile : 0;
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(BLUE[c] * (1 - g) + WHITE[c] * g);
      rgba[i + 3] = Math.round((tile / (S * S)) * 255);
    }
  }
  return png(size, rgba);
}

const out = process.argv[2] ?? '.';
writeFileSync(`${out}/pwa-192x192.png`, render(192, { rounded: true, scale: 1 }));
writeFileSync(`${out}/pwa-512x512.png`, render(512, { rounded: true, scale: 1 }));
// Maskable: full-bleed tile, glyph inside the 80% safe circle.
writeFileSync(`${out}/maskable-512x512.png`, render(512, { rounded: false, scale: 0.8 }));
writeFileSync(`${out}/apple-touch-icon.png`, render(180, { rounded: false, scale: 0.9 }));
