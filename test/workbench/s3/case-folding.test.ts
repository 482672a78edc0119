import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ObjectStoreError } from '../../../src/interpreter/object-store';
import { FolderObjectStore, OWN_FOLDER } from '../../../src/workbench/s3/folder-store';
import { probeFileNameFolding, type FileNameFolding } from '../../../src/workbench/s3/name-folding';

/*
 * The local S3 folder on a file system that takes two names for one: macOS's and Windows' defaults
 * fold case, macOS's also a name's composed (NFC) and decomposed (NFD) forms. S3 keeps
 * `Report.csv` and `report.csv` as two objects; written to one file, the second would overwrite
 * the first without a word. The file system's answer is injected (`fileNames`), since the machine
 * running this test keeps every name apart: the store must then never write the second key to the
 * path a folding file system would take for the first's.
 */

const FOLDING: FileNameFolding = { foldsCase: true, foldsUnicode: true };
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString();

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-folding-'));
  fs.mkdirSync(path.join(dir, 'bucket'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const listed = (store: FolderObjectStore): string[] => store.list('bucket', { maxKeys: 1000 }).objects.map((o) => o.key);
/** The files at the keys' own paths in the bucket's folder, as a folding file system would hold them. */
const filesInBucket = (): string[] => (fs.readdirSync(path.join(dir, 'bucket'), { recursive: true }) as string[]).sort();

describe('the local S3 folder on a case-folding file system', () => {
  it('keeps Report.csv and report.csv as two objects, the second beside the first\'s file, not over it', () => {
    const store = new FolderObjectStore(dir, undefined, { fileNames: FOLDING });
    store.write('bucket', 'Report.csv', 'upper');
    store.write('bucket', 'report.csv', 'lower');
    expect(text(store.read('bucket', 'Report.csv', 100))).toBe('upper');
    expect(text(store.read('bucket', 'report.csv', 100))).toBe('lower');
    expect(listed(store)).toEqual(['Report.csv', 'report.csv']);
    // One file at the keys' path: a folding file system holds no second name there.
    expect(filesInBucket()).toEqual(['Report.csv']);
    expect(fs.readFileSync(path.join(dir, 'bucket', 'Report.csv'), 'utf8')).toBe('upper');
    expect(fs.existsSync(path.join(dir, OWN_FOLDER, 'keys', 'bucket'))).toBe(true);
    // Overwriting either key writes that key only; deleting one leaves the other.
    store.write('bucket', 'report.csv', 'lower 2');
    store.write('bucket', 'Report.csv', 'upper 2');
    expect([text(store.read('bucket', 'Report.csv', 100)), text(store.read('bucket', 'report.csv', 100))]).toEqual(['upper 2', 'lower 2']);
    store.delete('bucket', 'Report.csv');
    expect(() => store.head('bucket', 'Report.csv')).toThrow(ObjectStoreError);
    expect(text(store.read('bucket', 'report.csv', 100))).toBe('lower 2');
    expect(listed(store)).toEqual(['report.csv']);
  });

  it('keeps data/y apart from a folder Data that holds Data/x', () => {
    const store = new FolderObjectStore(dir, undefined, { fileNames: FOLDING });
    store.write('bucket', 'Data/x', 'x');
    store.write('bucket', 'data/y', 'y');
    expect(filesInBucket()).toEqual(['Data', path.join('Data', 'x')]);
    expect(listed(store)).toEqual(['Data/x', 'data/y']);
    expect(text(store.read('bucket', 'data/y', 10))).toBe('y');
    expect(() => store.head('bucket', 'data/x')).toThrow('The specified key does not exist: data/x');
  });

  it('keeps a key written composed (NFC) and one written decomposed (NFD) apart, and the file keeps its key\'s name', () => {
    const store = new FolderObjectStore(dir, undefined, { fileNames: FOLDING });
    const composed = 'caf\u00e9.txt';
    const decomposed = 'cafe\u0301.txt';
    store.write('bucket', composed, 'nfc');
    store.write('bucket', decomposed, 'nfd');
    expect(text(store.read('bucket', composed, 10))).toBe('nfc');
    expect(text(store.read('bucket', decomposed, 10))).toBe('nfd');
    expect(new Set(listed(store))).toEqual(new Set([composed, decomposed]));
    // A file system that stores one form might rename the file: neither is written under its own name.
    expect(filesInBucket()).toEqual([]);
  });

  it('reads files put in the folder by hand under their own names, and no other', () => {
    fs.writeFileSync(path.join(dir, 'bucket', 'Hand.txt'), 'by hand');
    fs.writeFileSync(path.join(dir, 'bucket', 'caf\u00e9'), 'composed by hand');
    const store = new FolderObjectStore(dir, undefined, { fileNames: FOLDING });
    expect(text(store.read('bucket', 'Hand.txt', 100))).toBe('by hand');
    expect(text(store.read('bucket', 'caf\u00e9', 100))).toBe('composed by hand');
    expect(() => store.head('bucket', 'hand.txt')).toThrow(ObjectStoreError);
    store.write('bucket', 'hand.txt', 'written');
    expect(fs.readFileSync(path.join(dir, 'bucket', 'Hand.txt'), 'utf8')).toBe('by hand');
    expect(listed(store)).toEqual(['Hand.txt', 'caf\u00e9', 'hand.txt']);
  });

  it('writes both keys to their own files where the file system keeps every name apart', () => {
    const store = new FolderObjectStore(dir, undefined, { fileNames: { foldsCase: false, foldsUnicode: false } });
    store.write('bucket', 'Report.csv', 'upper');
    store.write('bucket', 'report.csv', 'lower');
    expect(filesInBucket()).toEqual(['Report.csv', 'report.csv']);
  });

  it('probes the folder without writing to it, answering as its file system does', () => {
    const before = fs.readdirSync(dir);
    // The truth, told apart: does the bucket's folder answer to its name in capitals?
    const folds = fs.existsSync(path.join(dir, 'BUCKET'));
    expect(probeFileNameFolding(dir).foldsCase).toBe(folds);
    expect(new FolderObjectStore(dir).fileNames.foldsCase).toBe(folds);
    expect(fs.readdirSync(dir)).toEqual(before);
  });
});
