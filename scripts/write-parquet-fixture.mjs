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
