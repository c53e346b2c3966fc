import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { paperFiguresMarkdown } from '../../lib/report/paper';
import { inputs, TOPOLOGY_TABLE } from '../figures/paperInputs';

test('paperFiguresMarkdown reads its numbers from the inputs', () => {
  const i = inputs();
  const md = paperFiguresMarkdown({ figure1: i.figure1, figure2: i.figure2, topologyTable: aq.from(TOPOLOGY_TABLE) }, [
    { files: { svg: 'a.svg', png: 'a.png' } },
  ]);
  assert.match(md, /crosses 1 for good \(upward\) at epoch 150/);
  assert.match(md, /D = 0\.85 \[0\.85, 0\.85\] before and 1\.15 \[1\.15, 1\.15\] after/);
  assert.match(md, /Gaussian input 1\.00–1\.01 over 2 topologies/);
  assert.match(md, /1 SVG, 0 PDF, 1 PNG/);
});
