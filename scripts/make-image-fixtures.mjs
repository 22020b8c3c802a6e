/* global OffscreenCanvas -- drawn inside the browser page */
// Makes the image fixtures of test/e2e/fixtures/images (run once; the files are committed):
// photos and charts drawn and encoded by Chromium, and PNGs written by hand (a 81-megapixel one, a 1-pixel one).
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
const dir = 'test/e2e/fixtures/images/';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const p = await b.newPage();
const make = async (w, h, type, kind, label) =>
  p.evaluate(
    async ([w, h, type, kind, label]) => {
      const c = new OffscreenCanvas(w, h);
      const x = c.getContext('2d');
      const g = x.createLinearGradient(0, 0, w, h);
      g.addColorStop(0, kind === 'photo' ? '#1d4e89' : '#0b3d2e');
      g.addColorStop(1, kind === 'photo' ? '#f2b134' : '#e9f5db');
      x.fillStyle = g;
      x.fillRect(0, 0, w, h);
      let s = 7;
      const r = () => (s = (s * 16807) % 2147483647) / 2147483647;
      if (kind === 'photo')
        for (let i = 0; i < 400; i++) {
          x.fillStyle = `hsla(${r() * 360},60%,${30 + r() * 40}%,0.5)`;
          x.beginPath();
          x.arc(r() * w, r() * h, 10 + r() * 80, 0, 7);
          x.fill();
        }
      else {
        for (let i = 0; i < 6; i++) {
          x.fillStyle = '#2e6f40';
          const bh = 40 + i * 45;
          x.fillRect(60 + i * 90, h - 40 - bh, 60, bh);
        }
      }
      x.fillStyle = '#fff';
      x.font = 'bold 36px sans-serif';
      x.fillText(label, 30, 60);
      const blob = await c.convertToBlob({ type, quality: 0.85 });
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    },
    [w, h, type, kind, label],
  );
writeFileSync(dir + 'reading-room.jpg', Buffer.from(await make(1600, 1000, 'image/jpeg', 'photo', 'Reading room')));
writeFileSync(dir + 'visits-chart.png', Buffer.from(await make(640, 400, 'image/png', 'chart', 'Visits 2019-2024')));
writeFileSync(dir + 'visits-chart-copy.png', Buffer.from(await make(640, 400, 'image/png', 'chart', 'Visits 2019-2024')));
writeFileSync(dir + 'mobile-library.jpg', Buffer.from(await make(800, 600, 'image/jpeg', 'photo', 'Mobile library')));
await b.close();
// A PNG that declares 9000 x 9000 pixels (81 MP): solid white, tiny on disk.
const crc = (buf) => {
  let c,
    t = [];
  for (let n = 0; n < 256; n++) {
    c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  let r = 0xffffffff;
  for (const x of buf) r = t[(r ^ x) & 0xff] ^ (r >>> 8);
  return (r ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const W = 9000,
  H = 9000;
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(W, 0);
ihdr.writeUInt32BE(H, 4);
ihdr[8] = 8;
ihdr[9] = 0;
const raw = Buffer.alloc((W + 1) * H, 255);
for (let y = 0; y < H; y++) raw[y * (W + 1)] = 0;
writeFileSync(
  dir + 'huge.png',
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]),
);
const i1 = Buffer.alloc(13);
i1.writeUInt32BE(1, 0);
i1.writeUInt32BE(1, 4);
i1[8] = 8;
i1[9] = 0;
writeFileSync(
  dir + 'pixel.png',
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', i1),
    chunk('IDAT', deflateSync(Buffer.from([0, 255]))),
    chunk('IEND', Buffer.alloc(0)),
  ]),
);
