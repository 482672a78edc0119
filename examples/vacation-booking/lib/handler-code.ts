import { execFileSync } from 'child_process';
import { readdirSync } from 'fs';
import * as path from 'path';
import { DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** The folder holding the TypeScript handlers (`lambda/*.ts`). */
export const HANDLER_DIR = path.join(__dirname, '..', 'lambda');

/**
 * The handlers as one Lambda asset, compiled from `lambda/*.ts` at synth time
 * with the TypeScript compiler (no esbuild or Docker needed). Tests skip this
 * step with the `aws:cdk:bundling-stacks` context set to `[]`: they call the
 * handlers directly as mocks.
 */
export function handlerCode(): lambda.Code {
  return lambda.Code.fromAsset(HANDLER_DIR, {
    bundling: {
      // Used only when the local compile below is not possible.
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs20.x'),
      command: ['bash', '-c', 'npx --yes -p typescript@5.9 tsc --outDir /asset-output --module commonjs --target es2022 --skipLibCheck *.ts'],
      local: {
        tryBundle(outputDir: string): boolean {
          const sources = readdirSync(HANDLER_DIR).filter((f) => f.endsWith('.ts')).map((f) => path.join(HANDLER_DIR, f));
          execFileSync(process.execPath, [
            require.resolve('typescript/bin/tsc'),
            '--outDir', outputDir, '--module', 'commonjs', '--target', 'es2022', '--skipLibCheck', '--types', 'node',
            ...sources,
          ], { stdio: 'inherit' });
          return true;
        },
      },
    },
  });
}
