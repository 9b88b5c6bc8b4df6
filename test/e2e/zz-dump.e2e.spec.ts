import { writeFileSync } from 'node:fs';
import { startE2eApp } from '../support/e2e-app';
it('dump', async () => {
  const e2e = await startE2eApp();
  const { body } = await e2e.http().get('/docs-json');
  writeFileSync('/tmp/ex/doc.json', JSON.stringify(body, null, 1));
  await e2e.close();
});
