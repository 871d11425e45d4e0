import { describe, expect, it } from 'vitest';
import { applyChangeSet, diffVersions } from '../../../src/core/diff/index.js';
import { parseArticle } from '../../../src/core/extract/index.js';
import {
  CHANGESET_SCHEMA,
  CHANGESET_SCHEMA_V1,
  upgradeChangeSet,
  upgradeKind,
  type ChangeSetV1,
} from '../../../src/core/model/changeset.js';
import { KIND_ORDER, KIND_WORDS, kindLabel } from '../../../src/core/model/kinds.js';

const OLD = 'Headline here\n\nFirst paragraph of the story.\n\nSecond paragraph.';
const NEW = 'Headline here\n\nFirst paragraph of the story.\n\nSecond paragraph.\n\nA third paragraph at the end.';

describe('ChangeSet schema /2 and /1', () => {
  it('writes /2 with facets and facts', () => {
    const cs = diffVersions(parseArticle({ body: OLD }), parseArticle({ body: NEW }));
    expect(cs.schema).toBe(CHANGESET_SCHEMA);
    expect(cs.schema).toBe('wirediff.changeset/2');
    expect(Array.isArray(cs.facets)).toBe(true);
    expect(Array.isArray(cs.facts)).toBe(true);
  });

  it('reads a /1 ChangeSet as /2: major becomes update, ops are kept and still apply', () => {
    const old = parseArticle({ body: OLD });
    const cs2 = diffVersions(old, parseArticle({ body: NEW }));
    const { facets: _f, facts: _x, ...rest } = cs2;
    const v1: ChangeSetV1 = { ...rest, schema: CHANGESET_SCHEMA_V1, kind: 'major' };
    const up = upgradeChangeSet(v1);
    expect(up.schema).toBe(CHANGESET_SCHEMA);
    expect(up.kind).toBe('update');
    expect(up.facets).toEqual(['update']);
    expect(up.facts).toEqual([]);
    expect(up.ops).toBe(v1.ops);
    const paras = old.paragraphs.map((p) => p.text);
    expect(applyChangeSet(paras, v1)).toEqual(applyChangeSet(paras, up));
    expect(upgradeChangeSet(cs2)).toBe(cs2);
    expect(upgradeChangeSet({ ...v1, kind: 'none' }).facets).toEqual([]);
  });

  it('upgradeKind keeps /2 kinds and reads anything else as update', () => {
    expect(upgradeKind('major')).toBe('update');
    expect(upgradeKind('write-thru')).toBe('write-thru');
    expect(upgradeKind('nonsense')).toBe('update');
  });
});

describe('the kind vocabulary', () => {
  it('has one name, label and symbol per kind, and orders every kind', () => {
    const kinds = Object.keys(KIND_WORDS);
    expect([...KIND_ORDER].sort()).toEqual([...kinds].sort());
    for (const [name, w] of Object.entries(KIND_WORDS)) expect(w.name).toBe(name);
    const labels = Object.values(KIND_WORDS).map((w) => w.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(kindLabel('major')).toBe('Update');
    expect(kindLabel('write-thru')).toBe('Write-thru');
  });
});
