// Writes test/workbench/s3/fixtures/orders.parquet, the PARQUET ItemReader's fixture: four orders
// with a string, a 32-bit and a 64-bit integer, a double, a boolean and a null. The test reads it
// back with the reader and checks every value against the rows written here.
//
//   node scripts/write-parquet-fixture.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetWriteBuffer } from 'hyparquet-writer';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, '..', 'test', 'workbench', 's3', 'fixtures', 'orders.parquet');
const buffer = parquetWriteBuffer({
  columnData: [
    { name: 'id', data: ['o-1', 'o-2', 'o-3', 'o-4'], type: 'STRING' },
    { name: 'quantity', data: [1, 2, 3, 40], type: 'INT32' },
    { name: 'cents', data: [1999n, 250n, 9007199254740993n, -5n], type: 'INT64' },
    { name: 'weight', data: [0.5, 1.25, 2, 10.75], type: 'DOUBLE' },
    { name: 'gift', data: [true, false, false, true], type: 'BOOLEAN' },
    { name: 'note', data: ['leave at door', null, 'fragile', null], type: 'STRING' },
  ],
});
fs.writeFileSync(out, Buffer.from(buffer));
console.log(`${path.relative(process.cwd(), out)}: ${buffer.byteLength} bytes`);

// groups.parquet: 4,000 rows in four row groups of 1,000, so that a reader that stops at MaxItems
// can be seen to read one group only.
const rows = Array.from({ length: 4000 }, (_, i) => `row-${i}-${(i * 7919).toString(36)}`);
write('groups.parquet', parquetWriteBuffer({ columnData: [{ name: 'id', data: rows, type: 'STRING' }], rowGroupSize: 1000, codec: 'UNCOMPRESSED' }));
// one.parquet and two.parquet: a row each, for LOAD_AND_FLATTEN over a listing.
write('one.parquet', parquetWriteBuffer({ columnData: [{ name: 'n', data: [1], type: 'INT32' }] }));
write('two.parquet', parquetWriteBuffer({ columnData: [{ name: 'n', data: [2], type: 'INT32' }] }));
// rle-12m.parquet: 12,000,000 rows of one string in a single page, a few hundred bytes: what a
// reader that decodes a row group before its first row must bound.
write('rle-12m.parquet', parquetWriteBuffer({ columnData: [{ name: 'a', data: new Array(12_000_000).fill('x'), type: 'STRING' }], rowGroupSize: 12_000_000, pageSize: 1 << 30 }));

function write(name, bytes) {
  const file = path.join(path.dirname(out), name);
  fs.writeFileSync(file, Buffer.from(bytes));
  console.log(`${path.relative(process.cwd(), file)}: ${bytes.byteLength} bytes`);
}
