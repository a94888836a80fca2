import { relative } from 'node:path';
import { initProject } from '../init/init-project.js';

/** `marvelo init [folder]`: writes a new project and says what it wrote and what to run next. */
export function initCommand(folder: string | undefined, opts: { marvelo?: string }): number {
  const project = initProject(folder, { marvelo: opts.marvelo });
  const out = process.stdout;
  out.write(`created the project ${project.name} in ${project.dir}:\n`);
  for (const file of project.files) out.write(`  ${file}\n`);
  out.write(`marvelo: ${project.marvelo.spec} (${project.marvelo.origin})\n`);
  const rel = relative(process.cwd(), project.dir);
  const where = rel.startsWith('..') ? project.dir : rel;
  out.write('next:\n');
  if (where !== '') out.write(`  cd ${where.includes(' ') ? JSON.stringify(where) : where}\n`);
  out.write('  npm install\n  npx marvelo run network.yaml    # run the network\n  npm test                        # typecheck and test the jobs\n');
  return 0;
}
