/** Hostile article text: every renderer must make it inert. */
import type { Article } from '../../../src/core/model/article.js';
import type { ChangeSet } from '../../../src/core/model/changeset.js';
import { builder } from './build.js';

export const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror="alert(2)">',
  '" onerror="alert(3)" x="',
  "' onmouseover='alert(4)' '",
  '<a href="javascript:alert(5)">click</a>',
  'javascript:alert(6)',
  ']]><script>alert(7)</script><![CDATA[',
  '</p></div></details></section><script>alert(8)</script>',
  '<!-- comment --> &amp; &lt;b&gt; &#x3C;script&#x3E;',
  'control\u0000\u0001\u0008\u000B\u000C\u001B[2J\u007F\u0085 chars',
  'lone \uD800 high and \uDFFF low surrogate, \uFFFE \uFFFF, pair 😀 ok',
  '<style>body{display:none}</style><svg onload=alert(9)>',
];

/** A ChangeSet that puts hostile text through every op, plus a hostile title and summary. */
export function hostileChangeSet(): { cs: ChangeSet; old: Article; next: Article } {
  const h = (i: number): string => HOSTILE[i % HOSTILE.length]!;
  const b = builder();
  b.insert(`Update ${h(0)} ${h(1)}`, 'update');
  b.insert(`THIS IS A BREAKING NEWS UPDATE ${h(2)}`, 'banner');
  b.equal([`kept ${h(3)}`, `kept ${h(4)}`, `kept ${h(9)}`], 'earlier');
  b.edit(`a ${h(5)} [-${h(6)}-]{+${h(7)}+} z`, 'earlier');
  b.moveOut('m', `moved ${h(8)}`, 'earlier');
  b.equal(
    Array.from({ length: 12 }, (_, i) => `long run ${i} ${h(i)}`),
    'earlier',
  );
  b.delete(`deleted ${h(9)}`, 'earlier');
  b.moveIn('m', `moved ${h(8)}`, 'earlier');
  b.split(`split ${h(10)} and ${h(11)}`, [`split ${h(10)}`, `and ${h(11)}`], 'earlier');
  b.merge([`merge ${h(0)}`, `merge ${h(2)}`], `merge ${h(0)} merge ${h(2)}`, 'earlier');
  b.replace(`replaced ${h(1)}`, `replacement ${h(3)}`, 'earlier');
  b.edit(`cosmetic${h(2)} [-"-]{+“+}x`, 'earlier', true);
  b.insert(`By ${h(6)}`, 'byline');
  return b.build({
    kind: 'breaking-update',
    title: `Title ${h(0)} ${h(9)}`,
    oldTitle: `Old ${h(2)} ${h(10)}`,
    summary: `Summary ${h(1)} ${h(9)}`,
    structure: {
      updateParagraphs: 1,
      bannerAdded: true,
      bannerRemoved: false,
      earlierUnchanged: false,
      correctionAdded: false,
    },
  });
}
