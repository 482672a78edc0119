/*
 * What the command line prints that someone else wrote goes through these (see
 * workbench/common/printable.ts, where they live so that the workbench's tables and the jest
 * reporter escape the same way).
 */
export { printable, printableLines, printableJson } from '../workbench/common/printable';
